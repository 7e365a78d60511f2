// buildProjectIndex: walk the project, take each unchanged file from the cache, read and parse the
// rest, and say what was left out. Parsing stops at the time limit: the files after it are listed by
// path only (and not cached, so the next build parses them). A minified bundle is listed by path only
// too: its symbols would be noise.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCache, reusable, writeCache, type CachedFile } from './cache';
import { hasNulByte, looksMinified, SNIFF_BYTES } from './file-kinds';
import { languageOf, type LanguageId } from './languages';
import type { IndexedFile, ProjectIndex, ProjectMapOptions, SkippedFile } from './types';
import { walkProject, type WalkedFile } from './walk-project';

export const DEFAULT_MAX_FILES = 20_000;
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_TIME_LIMIT_MS = 20_000;
/** Files read at once, while the batch before is parsed. */
const READ_AHEAD = 32;

/** A file's place in the index, what the cache keeps of it (nothing: parse it next time), whether it was parsed. */
type Outcome = ({ file: IndexedFile } | { skipped: SkippedFile }) & { cache?: CachedFile; parse?: 'parsed' | 'out of time' };

export async function buildProjectIndex(options: ProjectMapOptions): Promise<ProjectIndex> {
  const started = performance.now();
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const deadline = Date.now() + timeLimitMs;
  const root = path.resolve(options.root);
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const walk = await walkProject({
    root,
    exclude: excludedFolders(root, options.exclude ?? []),
    maxFiles,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    deadline,
    signal: options.signal,
  });
  const notes: string[] = [];
  if (walk.omitted > 0) notes.push(`${count(walk.omitted)} files not mapped: the limit of ${count(maxFiles)}`);
  if (walk.timedOut) notes.push(`the walk stopped at the time limit of ${count(timeLimitMs)} ms: the folders after that were not listed`);

  const cache = options.cacheFile ? await readCache(options.cacheFile) : undefined;
  if (cache?.problem) notes.push(`the map cache ${options.cacheFile} was ${cache.problem}: rebuilt`);
  const nextCache = new Map<string, CachedFile>();
  const files: IndexedFile[] = [];
  const skipped = [...walk.skipped];
  const stats = { parsed: 0, fromCache: 0, ms: 0 };
  let listedOnly = 0;

  // Each batch's files are read while the one before is parsed.
  const readBatch = (start: number) => {
    const batch = walk.files.slice(start, start + READ_AHEAD);
    const fromCache = batch.map((file) => reusable(cache?.files.get(file.path), file.size, file.mtimeMs));
    return { batch, fromCache, contents: Promise.all(batch.map((file, index) => (fromCache[index] ? undefined : readForIndex(file)))) };
  };
  let reading = readBatch(0);
  for (let next = 0; next < walk.files.length; next += READ_AHEAD) {
    options.signal?.throwIfAborted();
    const { batch, fromCache, contents: pending } = reading;
    const contents = await pending;
    if (next + READ_AHEAD < walk.files.length) reading = readBatch(next + READ_AHEAD);
    for (const [index, file] of batch.entries()) {
      const cached = fromCache[index];
      if (cached) stats.fromCache++;
      const outcome = cached ? fromCached(file, cached) : await freshOutcome(file, contents[index] as Buffer | NodeJS.ErrnoException, deadline);
      if ('file' in outcome) files.push(outcome.file);
      else skipped.push(outcome.skipped);
      if (outcome.cache) nextCache.set(file.path, outcome.cache);
      if (outcome.parse === 'parsed') stats.parsed++;
      else if (outcome.parse === 'out of time') listedOnly++;
    }
  }
  if (listedOnly > 0) notes.push(`${count(listedOnly)} files listed by path only: parsing stopped at the time limit of ${count(timeLimitMs)} ms`);

  if (options.cacheFile && cacheChanged(cache?.files, nextCache, stats.fromCache)) {
    await writeCache(options.cacheFile, nextCache).catch((error: unknown) => notes.push(`the map cache ${options.cacheFile} could not be written: ${error instanceof Error ? error.message : String(error)}`));
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  stats.ms = Math.round(performance.now() - started);
  return { root, files, skipped, omitted: walk.omitted, notes, stats };
}

async function freshOutcome(file: WalkedFile, content: Buffer | NodeJS.ErrnoException, deadline: number): Promise<Outcome> {
  if (content instanceof Error) return { skipped: { path: file.path, reason: `unreadable (${content.code ?? content.message})` } };
  if (hasNulByte(content)) return binaryOutcome(file);
  const language = languageOf(file.path);
  if (!language) return listed(file, undefined);
  const text = content.toString('utf8');
  if (looksMinified(text)) return listed(file, language);
  if (Date.now() > deadline) return { file: listed(file, language).file, parse: 'out of time' };
  // The parser (and its WebAssembly) loads when the first file needs parsing, not before.
  const { fileSymbols } = await import('./parse-file');
  const symbols = await fileSymbols(text, language, deadline);
  if (!symbols) return { file: listed(file, language).file, parse: 'out of time' };
  return { ...listed(file, language, symbols.definitions, symbols.references), parse: 'parsed' };
}

/** A source file whole; any other file's first 8 KB, enough to tell binary from text. */
async function readForIndex(file: WalkedFile): Promise<Buffer | NodeJS.ErrnoException> {
  try {
    if (languageOf(file.path)) return await fs.readFile(file.absolute);
    const handle = await fs.open(file.absolute, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(Math.min(SNIFF_BYTES, file.size)), 0, Math.min(SNIFF_BYTES, file.size), 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

function listed(file: WalkedFile, language: LanguageId | undefined, definitions: IndexedFile['definitions'] = [], references: string[] = []): { file: IndexedFile; cache: CachedFile } {
  const indexed: IndexedFile = { path: file.path, size: file.size, mtimeMs: file.mtimeMs, language, definitions, references };
  return { file: indexed, cache: { size: file.size, mtimeMs: file.mtimeMs, language, definitions, references } };
}

function binaryOutcome(file: WalkedFile): Outcome {
  const reason = 'binary (a NUL byte in its first 8 KB)';
  return { skipped: { path: file.path, reason }, cache: { size: file.size, mtimeMs: file.mtimeMs, skipped: reason } };
}

function fromCached(file: WalkedFile, cached: CachedFile): Outcome {
  if ('skipped' in cached) return { skipped: { path: file.path, reason: cached.skipped }, cache: cached };
  return { file: { path: file.path, size: file.size, mtimeMs: file.mtimeMs, language: cached.language, definitions: cached.definitions, references: cached.references }, cache: cached };
}

/** Whether the cache needs writing: any file re-read, or any cached file gone. */
function cacheChanged(previous: ReadonlyMap<string, CachedFile> | undefined, next: ReadonlyMap<string, CachedFile>, reused: number): boolean {
  return !previous || reused !== next.size || previous.size !== next.size;
}

/** The excluded folders as paths relative to the root; those outside it are dropped. */
function excludedFolders(root: string, folders: readonly string[]): string[] {
  return folders
    .map((folder) => path.relative(root, path.resolve(root, folder)).split(path.sep).join('/'))
    .filter((relative) => relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative));
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
