// Past runs, read back from their folders in the log directory: a summary of each for a list, and one
// run's whole record. A folder whose run.json is missing or unreadable is left out of the list and
// named in the error when asked for.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunRecord, RunSummary } from '../protocol';

const RUN_FOLDER = /^(\d{4}-\d{2}-\d{2})_([0-9a-f]{8,})$/;

export class RunNotFoundError extends Error {
  constructor(id: string, logDirectory: string) {
    super(`no run ${id} in ${logDirectory}`);
    this.name = 'RunNotFoundError';
  }
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A run whose record says `running` but whose process is gone died mid-run. */
export function isInterrupted(record: RunRecord, alive: (pid: number) => boolean = processAlive): boolean {
  return record.status === 'running' && !alive(record.pid);
}

export function runSummary(record: RunRecord): RunSummary {
  return { id: record.id, task: record.task, status: record.status, startedAt: record.startedAt, endedAt: record.endedAt, folder: record.folder, usd: record.totals.usd, unpricedAttempts: record.totals.unpricedAttempts, interrupted: isInterrupted(record) };
}

async function runFolders(logDirectory: string): Promise<string[]> {
  try {
    return (await readdir(logDirectory)).filter((name) => RUN_FOLDER.test(name)).sort().reverse();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export async function readRecordFile(folder: string): Promise<RunRecord> {
  const file = path.join(folder, 'run.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const record = JSON.parse(text) as RunRecord;
    if (record?.version !== 1 || typeof record.id !== 'string') throw new Error('it is not a run record');
    return record;
  } catch (error) {
    throw new Error(`${file} is not a complete run record (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The newest runs first, at most `limit`. */
export async function listRuns(logDirectory: string, limit: number): Promise<RunSummary[]> {
  const records: RunRecord[] = [];
  let lastDate: string | undefined;
  for (const name of await runFolders(logDirectory)) {
    const date = RUN_FOLDER.exec(name)?.[1];
    // Folder names order runs by day only; every run of the last day needed is read, then sorted.
    if (records.length >= limit && date !== lastDate) break;
    lastDate = date;
    try {
      records.push(await readRecordFile(path.join(logDirectory, name)));
    } catch {
      // An unreadable run (a crash before its first record) has nothing to list.
    }
  }
  return records
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, limit)
    .map(runSummary);
}

/** The folder of run `id` in the log directory. */
export async function findRunFolder(logDirectory: string, id: string): Promise<string> {
  const name = (await runFolders(logDirectory)).find((candidate) => RUN_FOLDER.exec(candidate)?.[2] === id);
  if (name === undefined) throw new RunNotFoundError(id, logDirectory);
  return path.join(logDirectory, name);
}

export async function readRun(logDirectory: string, id: string): Promise<RunRecord> {
  return readRecordFile(await findRunFolder(logDirectory, id));
}
