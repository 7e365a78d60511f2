// The index kept between builds: one JSON file, each file's symbols keyed by its size and mtime, so an
// unchanged file is not read or parsed again. Stamped with a fingerprint of the queries (and a version
// for the extraction code), so a map built by other rules is not reused. Written whole, to a temporary
// file renamed into place: a crash leaves the old cache or the new one. Anything unreadable is ignored.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { QUERIES } from './queries';
import type { Definition } from './types';

/** Raise when what is extracted changes without the queries changing. */
const EXTRACTION_VERSION = 1;
export const CACHE_STAMP = `${EXTRACTION_VERSION}:${createHash('sha256').update(JSON.stringify(QUERIES)).digest('hex').slice(0, 16)}`;

export type CachedFile = { size: number; mtimeMs: number } & ({ language: string | undefined; definitions: Definition[]; references: string[] } | { skipped: string });

interface CacheContents {
  stamp: string;
  files: Record<string, CachedFile>;
}

export interface ReadCache {
  files: Map<string, CachedFile>;
  /** Why the cache was not used, when it exists but could not be. */
  problem?: string;
}

export async function readCache(file: string): Promise<ReadCache> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { files: new Map() } : { files: new Map(), problem: `unreadable (${(error as NodeJS.ErrnoException).code})` };
  }
  let contents: unknown;
  try {
    contents = JSON.parse(text);
  } catch {
    return { files: new Map(), problem: 'not valid JSON' };
  }
  if (!isCacheContents(contents)) return { files: new Map(), problem: 'not a map cache' };
  // Another version's cache is simply stale, not a problem worth a note.
  if (contents.stamp !== CACHE_STAMP) return { files: new Map() };
  return { files: new Map(Object.entries(contents.files).filter(([, entry]) => isCachedFile(entry))) };
}

export async function writeCache(file: string, files: ReadonlyMap<string, CachedFile>): Promise<void> {
  const contents: CacheContents = { stamp: CACHE_STAMP, files: Object.fromEntries(files) };
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${Date.now().toString(36)}.tmp`;
  try {
    await fs.writeFile(temporary, JSON.stringify(contents));
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/** The cached entry when the file is as it was (same size, same mtime), else undefined. */
export function reusable(entry: CachedFile | undefined, size: number, mtimeMs: number): CachedFile | undefined {
  return entry && entry.size === size && entry.mtimeMs === mtimeMs ? entry : undefined;
}

function isCacheContents(value: unknown): value is CacheContents {
  const candidate = value as Partial<CacheContents> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.stamp === 'string' && typeof candidate.files === 'object' && candidate.files !== null;
}

function isCachedFile(value: unknown): value is CachedFile {
  const entry = value as Record<string, unknown> | null;
  if (typeof entry !== 'object' || entry === null || typeof entry.size !== 'number' || typeof entry.mtimeMs !== 'number') return false;
  return typeof entry.skipped === 'string' || (Array.isArray(entry.definitions) && Array.isArray(entry.references));
}
