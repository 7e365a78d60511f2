// The shared health file's contents: which endpoints rest until when and why, each with the time it
// was learned, so that between processes the later word wins. Parsing, merging and writing it are pure.
import type { ErrorClass } from '../providers/provider-error';
import { LONGEST_COOLDOWN_MS, type CooldownRecord } from './cooldowns';

export const HEALTH_FILE_VERSION = 1;

/**
 * The classes that rest an endpoint for everyone. `auth` is not one: a key is the config's, and a key
 * fixed there must not stay blocked in another process.
 */
const SHARED_CLASSES: ReadonlySet<ErrorClass> = new Set<ErrorClass>(['rate_limit', 'quota_exhausted', 'overloaded', 'server', 'timeout', 'network', 'truncated_stream', 'not_found']);

export function isShared(errorClass: ErrorClass): boolean {
  return SHARED_CLASSES.has(errorClass);
}

interface FileEntry {
  /** Epoch milliseconds; 0 when the endpoint answered again. */
  until: number;
  errorClass?: ErrorClass;
  updated: number;
}

export type HealthEntries = Map<string, CooldownRecord>;

export type ParsedHealth = { ok: true; entries: HealthEntries } | { ok: false; problem: string };

function isFileEntry(value: unknown): value is FileEntry {
  if (value === null || typeof value !== 'object') return false;
  const { until, updated, errorClass } = value as Record<string, unknown>;
  return typeof until === 'number' && Number.isFinite(until) && typeof updated === 'number' && Number.isFinite(updated) && (errorClass === undefined || (typeof errorClass === 'string' && SHARED_CLASSES.has(errorClass as ErrorClass)));
}

/** The file's entries; a file that is not what we write is refused whole, with what is wrong. */
export function parseHealth(text: string): ParsedHealth {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'it is not JSON' };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { ok: false, problem: 'it is not a JSON object' };
  const { version, endpoints } = data as Record<string, unknown>;
  if (version !== HEALTH_FILE_VERSION) return { ok: false, problem: `its version is ${JSON.stringify(version)}, not ${HEALTH_FILE_VERSION}` };
  if (endpoints === null || typeof endpoints !== 'object' || Array.isArray(endpoints)) return { ok: false, problem: '"endpoints" is not an object' };
  const entries: HealthEntries = new Map();
  for (const [endpoint, entry] of Object.entries(endpoints)) {
    if (!isFileEntry(entry)) return { ok: false, problem: `the entry for ${JSON.stringify(endpoint)} is not {until, errorClass, updated}` };
    const resting = entry.until > 0 && entry.errorClass !== undefined;
    entries.set(endpoint, { cooldown: resting && entry.errorClass ? { until: entry.until, errorClass: entry.errorClass } : undefined, updated: entry.updated });
  }
  return { ok: true, entries };
}

/**
 * `ours` over `theirs`, endpoint by endpoint, the later `updated` winning; what no longer says
 * anything is dropped: a rest that ended, and word of a recovery older than any rest could be.
 */
export function mergeHealth(theirs: HealthEntries, ours: HealthEntries, now: number): HealthEntries {
  const merged: HealthEntries = new Map(theirs);
  for (const [endpoint, record] of ours) {
    const current = merged.get(endpoint);
    if (!current || record.updated >= current.updated) merged.set(endpoint, record);
  }
  for (const [endpoint, record] of merged) {
    const over = record.cooldown === undefined || record.cooldown.until <= now;
    if (over && record.updated <= now - LONGEST_COOLDOWN_MS) merged.delete(endpoint);
    else if (over && record.cooldown !== undefined) merged.set(endpoint, { cooldown: undefined, updated: record.updated });
  }
  return merged;
}

export function serializeHealth(entries: HealthEntries): string {
  const endpoints: Record<string, FileEntry> = {};
  for (const [endpoint, record] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    endpoints[endpoint] = record.cooldown ? { until: record.cooldown.until, errorClass: record.cooldown.errorClass, updated: record.updated } : { until: 0, updated: record.updated };
  }
  return `${JSON.stringify({ version: HEALTH_FILE_VERSION, endpoints }, null, 2)}\n`;
}
