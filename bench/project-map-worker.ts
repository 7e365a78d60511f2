// One measurement of bench/project-map.ts, in a fresh process so that "cold" means it (the parser's
// WebAssembly not yet loaded) and the peak memory is the build's own. Prints one JSON line.
//   cold ROOT          buildProjectIndex without a cache
//   read-floor ROOT    a recursive readdir + stat of ROOT and every file's bytes read
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildProjectIndex } from '../server/src/project-map';

async function readTree(root: string, readBytes: boolean): Promise<number> {
  let files = 0;
  for (const entry of await fs.readdir(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) files += await readTree(full, readBytes);
    else if (entry.isFile()) {
      await fs.stat(full);
      if (readBytes) await fs.readFile(full);
      files++;
    }
  }
  return files;
}

async function main(): Promise<void> {
  const [mode, root] = process.argv.slice(2);
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const files = mode === 'cold' ? (await buildProjectIndex({ root })).files.length : await readTree(root, true);
  const ms = performance.now() - started;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ms, files, peakRssMb, heapDeltaMb: (process.memoryUsage().heapUsed - heapBefore) / (1024 * 1024) })}\n`);
}

void main();
