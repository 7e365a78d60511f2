// Costs over a large ledger without reading it whole. Totals are kept per hour and per (role, provider,
// model, run) in `<ledger>.index.json`, with how far into the ledger they go; each query reads only the
// lines appended since, and the one hour that `--since` cuts in two is read again from the ledger's bytes
// the index remembers for it, so a query is exact to the millisecond. The index is a cache: missing,
// stale (a ledger replaced or cut), or unreadable, it is rebuilt from the ledger; not writable, the query
// still answers.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { CostRow } from '../protocol';
import { recordInterrupted } from './inflight';
import { addToRow, emptyRow, keyOf, parseLedgerLine, type LedgerEntry, type Summary, type SummaryKey } from './ledger';

const HOUR_MS = 3_600_000;

/** attempts, answered, input, cachedInput, cacheWrite, output, usd, cacheSavedUsd, unpriced, estimated, interrupted. */
type Totals = [number, number, number, number, number, number, number, number, number, number, number];

/** One hour of one key: its totals, and the ledger bytes its lines lie within. */
interface Bucket {
  hour: number;
  key: number;
  totals: Totals;
  start: number;
  end: number;
}

export interface LedgerIndex {
  version: 2;
  /** The ledger file these totals are of: another one (replaced, rotated) means a rebuild. */
  identity: { dev: number; ino: number };
  /** Bytes of the ledger read: every whole line before it is counted. */
  offset: number;
  /** The ledger's last bytes before `offset` (base64): a ledger rewritten in place no longer has them. */
  seal: string;
  skippedLines: number;
  /** [role, provider, model, run] of each key. */
  keys: [string, string, string, string][];
  buckets: Bucket[];
}

const emptyTotals = (): Totals => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

function addEntry(totals: Totals, entry: LedgerEntry): void {
  totals[0]++;
  if (entry.outcome === 'ok') totals[1]++;
  totals[2] += entry.tokens.input ?? 0;
  totals[3] += entry.tokens.cachedInput ?? 0;
  totals[4] += entry.tokens.cacheWrite ?? 0;
  totals[5] += entry.tokens.output ?? 0;
  // An interrupted attempt's cost is unknown for another reason than a missing price: counted apart.
  if (entry.outcome === 'interrupted') totals[10]++;
  else if (entry.usd === null) totals[8]++;
  else totals[6] += entry.usd;
  totals[7] += entry.cacheSavedUsd ?? 0;
  if (entry.estimated) totals[9]++;
}

function addTotals(row: CostRow, totals: Totals): void {
  row.attempts += totals[0];
  row.answered += totals[1];
  row.inputTokens += totals[2];
  row.cachedInputTokens += totals[3];
  row.cacheWriteTokens += totals[4];
  row.outputTokens += totals[5];
  row.usd += totals[6];
  row.cacheSavedUsd += totals[7];
  row.unpricedAttempts += totals[8];
  row.estimatedAttempts += totals[9];
  if (totals[10] > 0) row.interruptedAttempts = (row.interruptedAttempts ?? 0) + totals[10];
  row.cachedShare = row.inputTokens === 0 ? 0 : row.cachedInputTokens / row.inputTokens;
}

const keyTuple = (entry: LedgerEntry): [string, string, string, string] => [keyOf(entry, 'role'), keyOf(entry, 'provider'), keyOf(entry, 'model'), keyOf(entry, 'run')];
const SUMMARY_FIELD: Record<SummaryKey, number> = { role: 0, provider: 1, model: 2, run: 3 };

export function emptyIndex(identity: LedgerIndex['identity']): LedgerIndex {
  return { version: 2, identity, offset: 0, seal: '', skippedLines: 0, keys: [], buckets: [] };
}

/**
 * Counts the whole lines of `bytes` (the ledger from `index.offset` on) into the index, and moves its
 * offset past the last of them: a line still being written is counted next time. Pure but for `index`.
 */
/** Lookups into an index's keys and buckets, made once per index object rather than per extension. */
const lookups = new WeakMap<LedgerIndex, { keyIds: Map<string, number>; buckets: Map<string, Bucket> }>();

export function extendIndex(index: LedgerIndex, bytes: Buffer): void {
  let lookup = lookups.get(index);
  if (!lookup) lookups.set(index, (lookup = { keyIds: new Map(index.keys.map((key, id) => [key.join('\0'), id])), buckets: new Map(index.buckets.map((bucket) => [`${bucket.hour}:${bucket.key}`, bucket])) }));
  const { keyIds, buckets } = lookup;
  let lineStart = 0;
  for (;;) {
    const newline = bytes.indexOf(0x0a, lineStart);
    if (newline === -1) break;
    const line = bytes.toString('utf8', lineStart, newline);
    const at = index.offset + lineStart;
    lineStart = newline + 1;
    if (line.trim() === '') continue;
    const entry = parseLedgerLine(line);
    if (entry === undefined) {
      index.skippedLines++;
      continue;
    }
    const tuple = keyTuple(entry);
    const tupleKey = tuple.join('\0');
    let key = keyIds.get(tupleKey);
    if (key === undefined) {
      key = index.keys.push(tuple) - 1;
      keyIds.set(tupleKey, key);
    }
    const hour = Math.floor(Date.parse(entry.time) / HOUR_MS);
    let bucket = buckets.get(`${hour}:${key}`);
    if (!bucket) {
      bucket = { hour, key, totals: emptyTotals(), start: at, end: at };
      buckets.set(`${hour}:${key}`, bucket);
      index.buckets.push(bucket);
    }
    addEntry(bucket.totals, entry);
    bucket.start = Math.min(bucket.start, at);
    bucket.end = Math.max(bucket.end, index.offset + newline + 1);
  }
  index.offset += lineStart;
}

/**
 * Totals by role, provider, model or run from the index, for entries at or after `since`: whole hours
 * from their totals, the hour `since` falls in from `readHour` (its entries, read again from the ledger).
 */
export function summarizeIndex(index: LedgerIndex, by: SummaryKey, since: Date | undefined, cutHour: readonly LedgerEntry[] = []): Summary {
  const rows = new Map<string, CostRow>();
  const total = emptyRow('total');
  const row = (key: string) => {
    let found = rows.get(key);
    if (!found) rows.set(key, (found = emptyRow(key)));
    return found;
  };
  const sinceHour = since === undefined ? Number.NEGATIVE_INFINITY : Math.floor(since.getTime() / HOUR_MS);
  for (const bucket of index.buckets) {
    if (bucket.hour <= sinceHour) continue;
    addTotals(row(index.keys[bucket.key][SUMMARY_FIELD[by]]), bucket.totals);
    addTotals(total, bucket.totals);
  }
  for (const entry of cutHour) {
    if (since !== undefined && Date.parse(entry.time) < since.getTime()) continue;
    addToRow(row(keyOf(entry, by)), entry);
    addToRow(total, entry);
  }
  return { rows: [...rows.values()].sort((a, b) => b.usd - a.usd || a.key.localeCompare(b.key)), total };
}

/** The ledger bytes where the lines of `since`'s hour lie: ranges of its buckets, merged. */
export function cutHourRanges(index: LedgerIndex, since: Date): [number, number][] {
  const hour = Math.floor(since.getTime() / HOUR_MS);
  const ranges = index.buckets
    .filter((bucket) => bucket.hour === hour)
    .map((bucket): [number, number] => [bucket.start, bucket.end])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

export const indexFileOf = (ledger: string) => `${ledger}.index.json`;

/** The index of this process, by ledger: a server asked again and again reads only what is new. */
const known = new Map<string, LedgerIndex>();
/** How far each index in memory was saved: small additions wait, a new `et costs` reads them itself. */
const savedOffsets = new WeakMap<LedgerIndex, number>();
const SAVE_AFTER_BYTES = 256 * 1024;

const SEAL_BYTES = 64;

async function sealAt(handle: FileHandle, offset: number): Promise<string> {
  const start = Math.max(0, offset - SEAL_BYTES);
  const bytes = Buffer.alloc(offset - start);
  const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
  return bytes.subarray(0, bytesRead).toString('base64');
}

async function loadIndex(ledger: string, handle: FileHandle, identity: LedgerIndex['identity'], size: number): Promise<LedgerIndex> {
  const usable = async (index: LedgerIndex | undefined) => index !== undefined && index.version === 2 && index.identity.dev === identity.dev && index.identity.ino === identity.ino && index.offset <= size && index.seal === (await sealAt(handle, index.offset));
  const inMemory = known.get(ledger);
  if (await usable(inMemory)) return inMemory as LedgerIndex;
  try {
    const stored = JSON.parse(await readFile(indexFileOf(ledger), 'utf8')) as LedgerIndex;
    if (Array.isArray(stored.keys) && Array.isArray(stored.buckets) && (await usable(stored))) {
      savedOffsets.set(stored, stored.offset);
      return stored;
    }
  } catch {
    // None yet, or not readable: built again from the ledger.
  }
  return emptyIndex(identity);
}

async function saveIndex(ledger: string, index: LedgerIndex): Promise<void> {
  const file = indexFileOf(ledger);
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, JSON.stringify(index), { mode: 0o600 });
    await rename(temporary, file);
  } catch {
    // A cache that cannot be written is only slower next time.
    await rm(temporary, { force: true }).catch(() => undefined);
  }
}

export interface LedgerCosts extends Summary {
  skippedLines: number;
}

/** Queries of one ledger in this process, one at a time: two at once would both extend the same index. */
const queues = new Map<string, Promise<unknown>>();

/** The ledger's totals by `by` since `since`, through its index. A ledger that does not exist has none. */
export function ledgerCosts(ledger: string, by: SummaryKey, since?: Date): Promise<LedgerCosts> {
  const queued = (queues.get(ledger) ?? Promise.resolve()).then(() => queryLedger(ledger, by, since));
  const settled = queued.catch(() => undefined);
  queues.set(ledger, settled);
  void settled.then(() => {
    if (queues.get(ledger) === settled) queues.delete(ledger);
  });
  return queued;
}

async function queryLedger(ledger: string, by: SummaryKey, since?: Date): Promise<LedgerCosts> {
  // Attempts of processes killed with them under way are recorded first (inflight.ts).
  await recordInterrupted(path.dirname(ledger), ledger).catch(() => 0);
  let handle;
  try {
    handle = await open(ledger, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...summarizeIndex(emptyIndex({ dev: 0, ino: 0 }), by, since), skippedLines: 0 };
    throw error;
  }
  try {
    const info = await handle.stat();
    const index = await loadIndex(ledger, handle, { dev: info.dev, ino: info.ino }, info.size);
    // A last line without its newline: being written now, or cut short by a kill. Counted once whole;
    // until then it is reported as unreadable when it does not read as an entry.
    let unfinished = 0;
    if (info.size > index.offset) {
      const fresh = Buffer.alloc(info.size - index.offset);
      const { bytesRead } = await handle.read(fresh, 0, fresh.length, index.offset);
      const before = index.offset;
      extendIndex(index, fresh.subarray(0, bytesRead));
      const rest = fresh.toString('utf8', index.offset - before, bytesRead);
      if (rest.trim() !== '' && parseLedgerLine(rest) === undefined) unfinished = 1;
      if (index.offset > before) {
        index.seal = await sealAt(handle, index.offset);
        if (index.offset - (savedOffsets.get(index) ?? 0) >= SAVE_AFTER_BYTES || !savedOffsets.has(index)) {
          await saveIndex(ledger, index);
          savedOffsets.set(index, index.offset);
        }
      }
    }
    known.set(ledger, index);
    let cutHour: LedgerEntry[] = [];
    if (since !== undefined) {
      for (const [start, end] of cutHourRanges(index, since)) {
        const bytes = Buffer.alloc(end - start);
        await handle.read(bytes, 0, bytes.length, start);
        for (const line of bytes.toString('utf8').split('\n')) {
          const entry = line.trim() === '' ? undefined : parseLedgerLine(line);
          if (entry && Math.floor(Date.parse(entry.time) / HOUR_MS) === Math.floor(since.getTime() / HOUR_MS)) cutHour.push(entry);
        }
      }
    }
    return { ...summarizeIndex(index, by, since, cutHour), skippedLines: index.skippedLines + unfinished };
  } finally {
    await handle.close();
  }
}

/** For tests and benchmarks: forget what this process knows, as a new one would. */
export function forgetLedgerIndexes(): void {
  known.clear();
}

