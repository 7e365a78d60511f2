// The setup step is skipped when nothing it depends on changed since it last passed: its command, the
// manifest and the lockfile hash the same, and what it installed still there. The record of each
// project's last passed setup is a small JSON file in the log folder.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Gate } from './detect-gates';

/** What a setup step reads: a change to any of these means it must run again. */
const INPUTS = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'requirements.txt', 'pyproject.toml', 'setup.py', 'setup.cfg'];

export async function setupKey(root: string, gate: Gate): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(gate.steps));
  for (const name of INPUTS) hash.update(`\0${name}\0`).update(await readFile(path.join(root, name)).catch(() => Buffer.alloc(0)));
  return hash.digest('hex');
}

const recordFile = (logDirectory: string, root: string) => path.join(logDirectory, 'setup-cache', `${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 12)}.json`);

async function readRecord(file: string): Promise<Record<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Whether this setup passed before with these inputs, and its outputs are still there. */
export async function setupIsCurrent(logDirectory: string, root: string, gate: Gate): Promise<boolean> {
  const expected = (await readRecord(recordFile(logDirectory, root)))[gate.name];
  if (expected === undefined || expected !== (await setupKey(root, gate))) return false;
  // What the step leaves behind (node_modules, the venv): gone, it must run again whatever the inputs say.
  return gate.leaves === undefined || existsSync(path.resolve(root, gate.leaves));
}

export async function rememberSetup(logDirectory: string, root: string, gate: Gate): Promise<void> {
  const file = recordFile(logDirectory, root);
  const record = await readRecord(file);
  record[gate.name] = await setupKey(root, gate);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
}
