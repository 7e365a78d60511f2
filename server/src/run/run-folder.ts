// A run's folder, `{log_dir}/{YYYY-MM-DD}_{id}/`: `run.json` (the machine-readable record, rewritten
// atomically after every change, so a reader or a resume never sees half of it) and `summary.json`
// (what a list of runs shows, after it), `_decisions.jsonl`
// (one line per decision, appended), `_transcript.jsonl` (what every agent said, appended),
// `_synthesis.md`, `worker-N.out`, `_build_iterN.log` and
// `answers/N.md` (each finished subtask's answer, for `--resume`). Writes are queued, so the
// engine never waits on the disk between model calls.
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChatMessage } from '../providers/language-model';
import type { RunRecord } from '../protocol';
import { forgetSummary, REFINED_FILE, storedSummary, SUMMARY_FILE } from './run-store';
import { writeAtomically } from './write-files';

export interface Decision {
  timestamp: string;
  phase: string;
  agent: string;
  intent: string;
  action: string;
  outcome: string;
  detail?: string;
  token_cost?: number;
}

/** At least 8 hex characters, as electrictown's run ids. */
export function newRunId(): string {
  return randomBytes(5).toString('hex');
}

/** `2026-11-21_a1b2c3d4e5`: the date is the local one the user sees. */
export function runFolderName(id: string, started: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${started.getFullYear()}-${pad(started.getMonth() + 1)}-${pad(started.getDate())}_${id}`;
}

/**
 * run.json is rewritten at most this often: a run changes its record many times a second, and each
 * change is on disk within this time (at once when the run settles).
 */
export const RECORD_INTERVAL_MS = 50;

/** Every model call's answer, the plan, the builds and the summary, one JSON line each (transcript/). */
export const TRANSCRIPT_FILE = '_transcript.jsonl';

/** Each finished subtask's answer, `answers/N.md`: what a resumed run picks up. */
const ANSWERS = 'answers';
/** Each worker's first prompt, `prompts/N.json`: what a follow-up round's continuing worker goes on from. */
const PROMPTS = 'prompts';

export class RunFolder {
  private writes: Promise<void> = Promise.resolve();
  private latestRecord: RunRecord | undefined;
  private pendingRecordWrite: Promise<void> | undefined;
  private lastRecordWrite = Number.NEGATIVE_INFINITY;
  /** Ends the wait of a record write that is holding back for RECORD_INTERVAL_MS. */
  private wakeRecordWrite: (() => void) | undefined;
  private pendingDecisions: string[] | undefined;
  /** `_transcript.jsonl`'s size, once known. */
  private transcriptBytes: number | undefined;
  /** Set once the run is ending: record writes no longer hold back. */
  private ending = false;
  /** A follow-up round's first summary was written and announced to other processes (REFINED_FILE). */
  private refinedAnnounced = false;

  private constructor(readonly directory: string) {}

  /**
   * A new run's folder, with `record(directory)` as its first run.json: made under a hidden name and
   * renamed into place whole, so a run folder that exists can always be listed and resumed — even after
   * a kill in its first instant.
   */
  static async create(logDirectory: string, id: string, started: Date, record: (directory: string) => RunRecord): Promise<RunFolder> {
    const name = runFolderName(id, started);
    const directory = path.join(logDirectory, name);
    const making = path.join(logDirectory, `.${name}.making`);
    await mkdir(path.join(making, ANSWERS), { recursive: true });
    const first = record(directory);
    await writeFile(path.join(making, 'run.json'), `${JSON.stringify(first, null, 2)}\n`);
    await writeFile(path.join(making, SUMMARY_FILE), `${JSON.stringify(storedSummary(first))}\n`);
    await rename(making, directory);
    return new RunFolder(directory);
  }

  /** An existing run's folder, to continue it. */
  static async open(directory: string): Promise<RunFolder> {
    await mkdir(path.join(directory, ANSWERS), { recursive: true });
    return new RunFolder(directory);
  }

  /** A subtask's final answer, kept so a resumed run does not ask (or pay) for it again. */
  keepAnswer(subtask: number, text: string): Promise<void> {
    return this.enqueue(() => writeAtomically(path.join(this.directory, ANSWERS, `${subtask}.md`), text, false));
  }

  /** What a subtask's worker was first sent, `prompts/N.json`: a follow-up round continues that conversation. */
  keepPrompt(subtask: number, messages: readonly ChatMessage[]): Promise<void> {
    return this.enqueue(async () => {
      await mkdir(path.join(this.directory, PROMPTS), { recursive: true });
      await writeAtomically(path.join(this.directory, PROMPTS, `${subtask}.json`), `${JSON.stringify(messages)}\n`, false);
    });
  }

  /** The prompts kept, by subtask; one that is not a list of messages is left out (its worker starts afresh). */
  async prompts(): Promise<Map<number, ChatMessage[]>> {
    const kept = new Map<number, ChatMessage[]>();
    for (const name of await readdir(path.join(this.directory, PROMPTS)).catch(() => [] as string[])) {
      const subtask = /^(\d+)\.json$/.exec(name)?.[1];
      if (subtask === undefined) continue;
      const messages = await readFile(path.join(this.directory, PROMPTS, name), 'utf8').then((text) => JSON.parse(text) as unknown, () => undefined);
      if (Array.isArray(messages) && messages.every((message) => typeof message?.role === 'string' && typeof message.content === 'string')) kept.set(Number(subtask), messages as ChatMessage[]);
    }
    return kept;
  }

  /** The answers kept so far, by subtask. */
  async answers(): Promise<Map<number, string>> {
    const kept = new Map<number, string>();
    for (const name of await readdir(path.join(this.directory, ANSWERS)).catch(() => [] as string[])) {
      const subtask = /^(\d+)\.md$/.exec(name)?.[1];
      if (subtask !== undefined) kept.set(Number(subtask), await readFile(path.join(this.directory, ANSWERS, name), 'utf8'));
    }
    return kept;
  }

  /**
   * Appends to `_transcript.jsonl` the text `take` gives when the write starts (so lines that come while
   * one waits go out with it); resolves with the file's size after, the transcript's new cursor.
   */
  appendTranscript(take: () => string): Promise<number> {
    return this.enqueue(async () => {
      const file = path.join(this.directory, TRANSCRIPT_FILE);
      // Its size is read once (a resumed run's transcript goes on), then counted.
      this.transcriptBytes ??= await stat(file).then(
        (info) => info.size,
        () => 0,
      );
      const text = take();
      await appendFile(file, text, 'utf8');
      this.transcriptBytes += Buffer.byteLength(text);
      return this.transcriptBytes;
    });
  }

  /** Writes happen one at a time, in the order asked; a failed one is reported to its caller only. */
  private enqueue<T>(write: () => Promise<T>): Promise<T> {
    const result = this.writes.then(write);
    this.writes = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private recordWriteDelay(): Promise<void> {
    const wait = this.lastRecordWrite + RECORD_INTERVAL_MS - Date.now();
    if (wait <= 0 || this.ending) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.wakeRecordWrite = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Queues a rewrite of run.json with the record as it is when the write starts: saves asked for while
   * one is waiting share it, so a burst of changes costs one serialisation and one write, and what is
   * written is always a whole, current snapshot.
   */
  saveRecord(record: RunRecord): Promise<void> {
    this.latestRecord = record;
    forgetSummary(this.directory);
    this.pendingRecordWrite ??= this.enqueue(async () => {
      await this.recordWriteDelay();
      this.wakeRecordWrite = undefined;
      this.pendingRecordWrite = undefined;
      this.lastRecordWrite = Date.now();
      const record = this.latestRecord as RunRecord;
      await writeAtomically(path.join(this.directory, 'run.json'), `${JSON.stringify(record, null, 2)}\n`, false);
      // After the record: a summary never says more than the record does.
      await writeAtomically(path.join(this.directory, SUMMARY_FILE), `${JSON.stringify(storedSummary(record))}\n`, false);
      // After the summary, so that a process told to read it again reads the round's (run-store.ts).
      if (record.refinement !== undefined && !this.refinedAnnounced) {
        this.refinedAnnounced = true;
        await appendFile(path.join(path.dirname(this.directory), REFINED_FILE), `${path.basename(this.directory)}\n`).catch(() => undefined);
      }
    });
    return this.pendingRecordWrite;
  }

  /** Appends a line to _decisions.jsonl; decisions made while one append waits go out with it. */
  decide(decision: Decision): Promise<void> {
    const line = `${JSON.stringify(decision)}\n`;
    if (this.pendingDecisions) {
      this.pendingDecisions.push(line);
      return this.writes;
    }
    const lines = [line];
    this.pendingDecisions = lines;
    return this.enqueue(() => {
      this.pendingDecisions = undefined;
      return appendFile(path.join(this.directory, '_decisions.jsonl'), lines.join(''), 'utf8');
    });
  }

  writeText(name: '_synthesis.md' | `worker-${number}.out` | `_${string}.log`, text: string): Promise<void> {
    return this.enqueue(() => writeFile(path.join(this.directory, name), text, 'utf8'));
  }

  /** Everything queued so far is on disk. Record writes stop holding back from here on: the run is ending. */
  settled(): Promise<void> {
    this.ending = true;
    this.wakeRecordWrite?.();
    return this.writes;
  }
}
