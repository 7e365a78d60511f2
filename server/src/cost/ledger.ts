// The cost ledger: one JSON line per attempt that consumed tokens (retries and fallbacks included),
// appended, never rewritten. A crash can leave a half-written last line; writing starts a fresh line
// after it and reading skips it, so one bad line never hides the others.
import { appendFile, open, readFile } from 'node:fs/promises';
import type { CostRow } from '../protocol';

export interface LedgerEntry {
  time: string;
  runId: string | undefined;
  /** The run's subtask and why it was called (work, review, fix…), when a run made the call. */
  subtask?: number;
  purpose?: string;
  /** 1-based: the attempt's place in its request, across the chain's models; absent in older lines. */
  attempt?: number;
  role: string | undefined;
  provider: string;
  providerType: string;
  alias: string | undefined;
  modelId: string;
  /** `cachedInput`: read from the prompt cache; `cacheWrite`: written to it (absent in older lines). */
  tokens: { input: number | null; cachedInput: number | null; cacheWrite?: number | null; output: number | null; reasoning: number | null };
  /** The provider did not report the counts (a stream cut short): they are our estimate. */
  estimated: boolean;
  /** null: the model has no price (or a priced count was not reported) — shown as unpriced, not $0. */
  usd: number | null;
  /** What the prompt cache saved against no caching (negative: a write not yet read back); only when the cache was used and the model is priced. */
  cacheSavedUsd?: number;
  /** `interrupted`: under way when its process was killed (recorded afterwards; nothing of its use is known). */
  outcome: 'ok' | 'retry' | 'fallback' | 'fail' | 'cancelled' | 'interrupted';
  errorClass?: string;
}

/** True when the file exists and its last byte is not a newline (a write was cut short). */
async function endsMidLine(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return false;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}

export function serializeEntries(entries: readonly LedgerEntry[]): string {
  let lines = '';
  for (const entry of entries) lines += `${JSON.stringify(entry)}\n`;
  return lines;
}

/** Appends one entry as a whole line in one write, so appends from other processes do not land inside it. */
export async function appendEntry(file: string, entry: LedgerEntry): Promise<void> {
  const prefix = (await endsMidLine(file)) ? '\n' : '';
  await appendFile(file, prefix + serializeEntries([entry]), { encoding: 'utf8', mode: 0o600 });
}

export interface LedgerContents {
  entries: LedgerEntry[];
  /** Lines that could not be read (a crash mid-write, a hand edit). */
  skippedLines: number;
}

const isEntry = (value: unknown): value is LedgerEntry => typeof (value as LedgerEntry | null)?.time === 'string' && typeof (value as LedgerEntry).provider === 'string';

/**
 * One ledger line's entry, or undefined. A line that another process's torn write ran into — its half
 * line, then a whole entry — still gives the whole entry: the last `{"time":` starts it.
 */
export function parseLedgerLine(line: string): LedgerEntry | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return isEntry(value) ? value : undefined;
  } catch {
    const start = line.lastIndexOf('{"time":');
    if (start <= 0) return undefined;
    try {
      const value = JSON.parse(line.slice(start)) as unknown;
      return isEntry(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }
}

export function parseLedger(text: string): LedgerContents {
  const entries: LedgerEntry[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseLedgerLine(line);
    if (entry) entries.push(entry);
    else skippedLines++;
  }
  return { entries, skippedLines };
}

export async function readLedger(file: string): Promise<LedgerContents> {
  try {
    return parseLedger(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skippedLines: 0 };
    throw error;
  }
}

export type SummaryKey = 'role' | 'provider' | 'model' | 'run';

/** One row of totals; the protocol's `CostRow`, so `et costs --json` and `electrictown/costs` agree. */
export type SummaryRow = CostRow;

export function emptyRow(key: string): SummaryRow {
  return { key, attempts: 0, answered: 0, inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, cachedShare: 0, outputTokens: 0, usd: 0, cacheSavedUsd: 0, unpricedAttempts: 0, estimatedAttempts: 0 };
}

/** Counts one entry on a row. */
export function addToRow(row: SummaryRow, entry: LedgerEntry): void {
  row.attempts++;
  if (entry.outcome === 'ok') row.answered++;
  row.inputTokens += entry.tokens.input ?? 0;
  row.cachedInputTokens += entry.tokens.cachedInput ?? 0;
  row.cacheWriteTokens += entry.tokens.cacheWrite ?? 0;
  row.cachedShare = row.inputTokens === 0 ? 0 : row.cachedInputTokens / row.inputTokens;
  row.cacheSavedUsd += entry.cacheSavedUsd ?? 0;
  row.outputTokens += entry.tokens.output ?? 0;
  if (entry.outcome === 'interrupted') row.interruptedAttempts = (row.interruptedAttempts ?? 0) + 1;
  else if (entry.usd === null) row.unpricedAttempts++;
  else row.usd += entry.usd;
  if (entry.estimated) row.estimatedAttempts++;
}

export function keyOf(entry: LedgerEntry, by: SummaryKey): string {
  if (by === 'role') return entry.role ?? '(no role)';
  if (by === 'provider') return entry.provider;
  if (by === 'model') return entry.alias ?? `${entry.provider}/${entry.modelId}`;
  return entry.runId ?? '(no run)';
}

export interface Summary {
  rows: SummaryRow[];
  total: SummaryRow;
}

/** Totals by role, provider, model or run, for entries at or after `since`; the costliest first. */
export function summarize(entries: readonly LedgerEntry[], by: SummaryKey, since?: Date): Summary {
  const rows = new Map<string, SummaryRow>();
  const total = emptyRow('total');
  for (const entry of entries) {
    if (since && Date.parse(entry.time) < since.getTime()) continue;
    const key = keyOf(entry, by);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = emptyRow(key)));
    addToRow(row, entry);
    addToRow(total, entry);
  }
  return { rows: [...rows.values()].sort((a, b) => b.usd - a.usd || a.key.localeCompare(b.key)), total };
}
