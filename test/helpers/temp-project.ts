// A small project written into a fresh temporary folder, for the project map's tests.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes each file (POSIX path → content) under a new temporary folder and returns the folder. */
export function writeProject(files: Readonly<Record<string, string | Uint8Array>>, prefix = 'et-map-'): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, ...relative.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}
