// Attempts under way, so that a kill leaves them visible rather than lost: each process keeps the
// attempts it has sent and not yet recorded in `<log_dir>/inflight/<pid>.json`, rewritten (small, and
// synchronously, so that no exit can leave it stale) as attempts start and end, and removed when none
// is left. A file whose process is gone holds what a kill interrupted: the next reader of the ledger
// claims it (a rename, so only one does) and records each as an `interrupted` attempt — its tokens and
// cost unknown, said so rather than guessed.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processAlive } from '../run/run-store';
import { appendEntry, type LedgerEntry } from './ledger';

/** What is known of an attempt when it is sent. */
export type InflightAttempt = Pick<LedgerEntry, 'time' | 'runId' | 'subtask' | 'purpose' | 'attempt' | 'role' | 'provider' | 'providerType' | 'alias' | 'modelId'>;

export const INFLIGHT_FOLDER = 'inflight';

class InflightFile {
  private readonly attempts = new Map<string, InflightAttempt>();
  private next = 0;

  constructor(private readonly file: string) {}

  start(attempt: InflightAttempt): string {
    const id = String(++this.next);
    this.attempts.set(id, attempt);
    this.write();
    return id;
  }

  end(id: string): void {
    if (this.attempts.delete(id)) this.write();
  }

  private write(): void {
    try {
      if (this.attempts.size === 0) {
        rmSync(this.file, { force: true });
        return;
      }
      mkdirSync(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.tmp`;
      writeFileSync(temporary, JSON.stringify([...this.attempts.values()]), { mode: 0o600 });
      renameSync(temporary, this.file);
    } catch {
      // Only what a kill would lose: the request itself goes on.
    }
  }
}

const files = new Map<string, InflightFile>();

/** This process's attempts under way, for one log folder. */
export function inflightAttempts(logDirectory: string): InflightFile {
  let file = files.get(logDirectory);
  if (!file) files.set(logDirectory, (file = new InflightFile(path.join(logDirectory, INFLIGHT_FOLDER, `${process.pid}.json`))));
  return file;
}

/** An attempt a kill interrupted, as the ledger records it: nothing of what it consumed is known. */
export function interruptedEntry(attempt: InflightAttempt): LedgerEntry {
  return { ...attempt, tokens: { input: null, cachedInput: null, output: null, reasoning: null }, estimated: false, usd: null, outcome: 'interrupted' };
}

/**
 * Records in the ledger the attempts of processes that died with them under way, once. Returns how many.
 * `alive` is for tests.
 */
export async function recordInterrupted(logDirectory: string, ledger: string, alive: (pid: number) => boolean = processAlive): Promise<number> {
  const folder = path.join(logDirectory, INFLIGHT_FOLDER);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return 0;
  }
  let recorded = 0;
  for (const name of names) {
    const pid = Number(/^(\d+)\.json$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    const claimed = path.join(folder, `${name}.claimed-${process.pid}`);
    try {
      renameSync(path.join(folder, name), claimed);
    } catch {
      continue; // Another reader claimed it first.
    }
    try {
      const attempts = JSON.parse(readFileSync(claimed, 'utf8')) as InflightAttempt[];
      for (const attempt of Array.isArray(attempts) ? attempts : []) {
        if (typeof attempt?.time !== 'string' || typeof attempt.provider !== 'string') continue;
        await appendEntry(ledger, interruptedEntry(attempt));
        recorded++;
      }
    } catch {
      // A torn file: what it held cannot be told.
    } finally {
      rmSync(claimed, { force: true });
    }
  }
  return recorded;
}
