// Waiting on something outside the test's process (a file, a spawned `et`) with a deadline.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../../server/src/protocol';

export async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The one run folder in a log directory. */
export function onlyRunFolder(logs: string): string {
  const folders = readdirSync(logs).filter((name) => /^\d{4}-\d{2}-\d{2}_[0-9a-f]{10}$/.test(name));
  assert.equal(folders.length, 1, `one run folder in ${logs}: ${folders.join(', ')}`);
  return path.join(logs, folders[0]);
}

export function runRecordIn(logs: string): RunRecord {
  return JSON.parse(readFileSync(path.join(onlyRunFolder(logs), 'run.json'), 'utf8')) as RunRecord;
}
