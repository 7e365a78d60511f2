// Past runs, read back from their folders in the log directory: a summary of each for a list, and one
// run's whole record. A folder whose run.json is missing or unreadable is left out of the list and
// named in the error when asked for. Each folder keeps a small `summary.json` beside its record, so a
// list of a thousand runs reads a thousand small files rather than a thousand records.
import { open, readdir, readFile, stat } from 'node:fs/promises';
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

/** What `summary.json` holds: the list's fields, and the pid that tells a dead run from a running one. */
export interface StoredSummary extends Omit<RunSummary, 'interrupted'> {
  version: 1;
  pid: number;
}

export const SUMMARY_FILE = 'summary.json';

export function storedSummary(record: RunRecord): StoredSummary {
  return { version: 1, id: record.id, task: record.task, status: record.status, startedAt: record.startedAt, endedAt: record.endedAt, folder: record.folder, usd: record.totals.usd, unpricedAttempts: record.totals.unpricedAttempts, pid: record.pid };
}

function isStoredSummary(value: unknown): value is StoredSummary {
  const summary = value as StoredSummary | null;
  return summary?.version === 1 && typeof summary.id === 'string' && typeof summary.status === 'string' && typeof summary.startedAt === 'string' && typeof summary.pid === 'number' && typeof summary.usd === 'number';
}

/**
 * Summaries of succeeded runs, by folder: such a run is never resumed, so its summary never changes and
 * a warm list reads only the runs that still may — unless it is refined (a follow-up round), which
 * `REFINED_FILE` tells every process. Bounded: a log folder of many thousand runs keeps the newest read.
 */
const finalSummaries = new Map<string, RunSummary>();
const MAX_FINAL_SUMMARIES = 20_000;

/**
 * `{log_dir}/.refined-runs`: a run folder's name appended once its follow-up round's `summary.json`
 * (status running) is written, so that a process that remembers the run as succeeded reads it again.
 * One stat per list; only new lines are read.
 */
export const REFINED_FILE = '.refined-runs';
/** How much of each log directory's REFINED_FILE this process has read (a replaced file is read again). */
const refinedRead = new Map<string, { ino: number; bytes: number }>();

/** Forgets every remembered summary, as a new process starts (benchmarks measure the first list so). */
export function forgetSummaries(): void {
  finalSummaries.clear();
  refinedRead.clear();
}

/** Forgets the runs refined since this process last looked (by any process). */
async function forgetRefined(logDirectory: string): Promise<void> {
  const file = path.join(logDirectory, REFINED_FILE);
  const info = await stat(file).catch(() => undefined);
  if (info === undefined) return;
  const known = refinedRead.get(logDirectory);
  const from = known && known.ino === info.ino && known.bytes <= info.size ? known.bytes : 0;
  if (from === info.size) return;
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(info.size - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    // Up to the last whole line: one being appended now is read next time.
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const name of whole.split('\n')) if (RUN_FOLDER.test(name)) forgetSummary(path.join(logDirectory, name));
    refinedRead.set(logDirectory, { ino: info.ino, bytes: from + Buffer.byteLength(whole) });
  } finally {
    await handle.close();
  }
}

/** A run whose record changes again (a follow-up round of a succeeded run) is read again. */
export function forgetSummary(folder: string): void {
  finalSummaries.delete(folder);
}

function remember(folder: string, summary: RunSummary): RunSummary {
  if (summary.status !== 'succeeded') return summary;
  if (finalSummaries.size >= MAX_FINAL_SUMMARIES) finalSummaries.delete(finalSummaries.keys().next().value as string);
  finalSummaries.set(folder, summary);
  return summary;
}

/**
 * One run's summary: from `summary.json`, else (a run from before it, a crash between the two writes)
 * from its record. A summary that says `running` is checked against the record, which is written first.
 */
async function readSummary(folder: string): Promise<RunSummary> {
  const known = finalSummaries.get(folder);
  if (known) return known;
  try {
    const stored = JSON.parse(await readFile(path.join(folder, SUMMARY_FILE), 'utf8')) as unknown;
    if (isStoredSummary(stored) && stored.status !== 'running') {
      const { version: _version, pid: _pid, ...summary } = stored;
      return remember(folder, { ...summary, interrupted: false });
    }
  } catch {
    // No summary, or a torn one: the record says.
  }
  return remember(folder, runSummary(await readRecordFile(folder)));
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

/** Summaries read at once: enough to keep the disk busy, few enough not to run out of file handles. */
const PARALLEL_READS = 64;

/** The newest runs first, at most `limit`. */
export async function listRuns(logDirectory: string, limit: number): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  await forgetRefined(logDirectory).catch(() => undefined);
  const folders = await runFolders(logDirectory);
  // Folder names order runs by day only: whole days are read, newest first, then sorted by start.
  for (let start = 0; start < folders.length && summaries.length < limit; ) {
    const date = RUN_FOLDER.exec(folders[start])?.[1];
    let end = start;
    while (end < folders.length && RUN_FOLDER.exec(folders[end])?.[1] === date) end++;
    const day = folders.slice(start, end);
    for (let batch = 0; batch < day.length; batch += PARALLEL_READS) {
      const read = await Promise.all(day.slice(batch, batch + PARALLEL_READS).map((name) => readSummary(path.join(logDirectory, name)).catch(() => undefined)));
      // An unreadable run (a crash before its first record) has nothing to list.
      for (const summary of read) if (summary) summaries.push(summary);
    }
    start = end;
  }
  return summaries.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
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
