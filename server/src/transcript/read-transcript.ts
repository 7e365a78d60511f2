// A page of a run's transcript, read from its folder: `_transcript.jsonl` from the cursor (each gate's
// entry with the end of its log), or — for a run from before the transcript was kept — the whole of
// it rebuilt from run.json and the kept answers. The record passed in is the freshest there is (a
// running run's, in memory), so every page's header is current.
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RunRecord, TranscriptEntry, TranscriptPage } from '../protocol';
import { TRANSCRIPT_FILE } from '../run/run-folder';
import { findRunFolder, isInterrupted, readRecordFile } from '../run/run-store';
import { entriesFromRecord, transcriptHeader } from './record-entries';
import { DEFAULT_PAGE_BYTES, parseEntries, wholeLinesEnd } from './transcript-page';

/** The end of a gate's log a build entry carries: where its errors are. */
const LOG_TAIL_CHARS = 4000;

export class TranscriptGoneError extends Error {
  constructor(folder: string) {
    super(`the run folder ${folder} no longer exists`);
    this.name = 'TranscriptGoneError';
  }
}

async function withLogTails(folder: string, entries: TranscriptEntry[]): Promise<TranscriptEntry[]> {
  return Promise.all(
    entries.map(async (entry) => {
      if (entry.kind !== 'build' || entry.log === undefined) return entry;
      const text = await readFile(path.join(folder, path.basename(entry.log)), 'utf8').catch(() => undefined);
      if (text === undefined) return entry;
      return { ...entry, output: text.length > LOG_TAIL_CHARS ? `…${text.slice(-LOG_TAIL_CHARS)}` : text };
    }),
  );
}

/** Reads from `cursor` to about `maxBytes` further, whole lines only (a longer line whole). */
async function readLines(file: string, cursor: number, maxBytes: number): Promise<{ text: string; end: number; size: number } | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.min(cursor, size);
    let length = Math.min(maxBytes, size - start);
    for (;;) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, start);
      const chunk = buffer.subarray(0, bytesRead);
      const whole = wholeLinesEnd(chunk);
      // A line longer than the page: read on until its end (or the end of what is there).
      if (whole > 0 || start + length >= size) return { text: chunk.subarray(0, whole).toString('utf8'), end: start + whole, size };
      length = Math.min(length * 2, size - start);
    }
  } finally {
    await handle.close();
  }
}

export async function readTranscriptPage(folder: string, record: RunRecord, cursor = 0, maxBytes = DEFAULT_PAGE_BYTES): Promise<TranscriptPage> {
  if (!(await stat(folder).then((info) => info.isDirectory()).catch(() => false))) throw new TranscriptGoneError(folder);
  const run = transcriptHeader(record);
  const read = await readLines(path.join(folder, TRANSCRIPT_FILE), cursor, Math.max(1024, maxBytes));
  if (read) {
    return { run, entries: await withLogTails(folder, parseEntries(read.text)), cursor: read.end, more: read.end < read.size, source: 'log' };
  }
  // A run just started has no line yet; a run from before the transcript is rebuilt, once.
  if ((record.status === 'running' && !isInterrupted(record)) || cursor > 0) return { run, entries: [], cursor, more: false, source: record.status === 'running' ? 'log' : 'record' };
  const answers = new Map<number, string>();
  for (const subtask of record.subtasks) {
    const text = (await readFile(path.join(folder, 'answers', `${subtask.index}.md`), 'utf8').catch(() => undefined)) ?? (subtask.output === undefined ? undefined : await readFile(path.join(folder, path.basename(subtask.output)), 'utf8').catch(() => undefined));
    if (text !== undefined) answers.set(subtask.index, text);
  }
  const synthesis = record.synthesis === undefined ? undefined : await readFile(path.join(folder, path.basename(record.synthesis)), 'utf8').catch(() => undefined);
  return { run, entries: await withLogTails(folder, entriesFromRecord(record, { answers, synthesis })), cursor: 1, more: false, source: 'record' };
}

/** A page of the transcript of run `runId`, a past run (or one another process runs) in the log directory. */
export async function storedTranscriptPage(logDirectory: string, runId: string, cursor?: number, maxBytes?: number): Promise<TranscriptPage> {
  const folder = await findRunFolder(logDirectory, runId);
  let record: RunRecord;
  try {
    record = await readRecordFile(folder);
  } catch (error) {
    // Deleted between the two reads: said as such.
    if (!(await stat(folder).catch(() => undefined))) throw new TranscriptGoneError(folder);
    throw error;
  }
  return readTranscriptPage(folder, record, cursor, maxBytes);
}
