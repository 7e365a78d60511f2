// Where a model may write: only inside the output directory. A path that is absolute, climbs out
// with `..`, carries a NUL or a drive letter, or names a `.git` directory is refused before any I/O;
// `resolveWrite` then checks the real path, through symlinks: inside the output directory, outside
// every git directory and hooks folder (code git runs), the run's config and its log folder.
import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { gitExecutablePlaces } from './git-dirs';

export type PathCheck = { ok: true; relative: string } | { ok: false; reason: string };

/** The path as a clean relative POSIX path, or why it is refused. Pure. */
export function checkRelativePath(written: string): PathCheck {
  if (written.includes('\0')) return { ok: false, reason: 'it contains a NUL character' };
  const trimmed = written.trim();
  if (trimmed === '') return { ok: false, reason: 'it is empty' };
  // Models on every platform write `\` as a separator; on Linux it would be part of a name.
  const slashed = trimmed.replace(/\\/g, '/');
  if (/^[a-z]:/i.test(slashed)) return { ok: false, reason: 'it names a drive' };
  if (slashed.startsWith('/') || slashed.startsWith('~')) return { ok: false, reason: 'it is absolute' };
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..')) return { ok: false, reason: 'it climbs out with ..' };
  if (segments.some((segment) => segment.toLowerCase() === '.git')) return { ok: false, reason: 'it writes into .git' };
  if (segments.length === 0) return { ok: false, reason: 'it names the output directory itself' };
  return { ok: true, relative: segments.join('/') };
}

/** The path with its deepest existing ancestor (or itself) resolved through symlinks. */
export async function realExisting(target: string): Promise<string> {
  let current = target;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = path.dirname(current);
      if (parent === current) throw error;
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/** The output directory's real path (through symlinks), resolved once for every file of a run. */
export function realOutputDirectory(outputDirectory: string): Promise<string> {
  return realExisting(path.resolve(outputDirectory));
}

/** A place a run never writes, and what the refusal says. */
export interface ProtectedPlace {
  path: string;
  reason: string;
}

/** What every write of a run is checked against: the real output directory and the places it must not touch. */
export interface WriteScope {
  root: string;
  protect: readonly ProtectedPlace[];
  /** Folders already looked at: is it a git directory? */
  gitDirectories: Map<string, Promise<boolean>>;
}

const within = (target: string, place: string) => target === place || target.startsWith(place.endsWith(path.sep) ? place : place + path.sep);

/** The working tree the output directory is in (itself or its nearest ancestor with a `.git`), if any. */
async function enclosingWorkTree(root: string): Promise<string | undefined> {
  for (let directory = root; ; directory = path.dirname(directory)) {
    if ((await lstat(path.join(directory, '.git')).catch(() => undefined)) !== undefined) return directory;
    if (path.dirname(directory) === directory) return undefined;
  }
}

/**
 * The scope of a run's writes: the real output directory, git's executable places (the git directory,
 * `core.hooksPath`) of the repository it is in, and `protect` — the run's config and log folder.
 */
export async function openWriteScope(outputDirectory: string, protect: readonly ProtectedPlace[] = []): Promise<WriteScope> {
  const root = await realOutputDirectory(outputDirectory);
  const workTree = await enclosingWorkTree(root);
  const places = workTree === undefined ? [] : await gitExecutablePlaces(workTree);
  const given = await Promise.all(protect.map(async (place) => ({ path: await realExisting(path.resolve(place.path)), reason: place.reason })));
  return { root, protect: [...places, ...given], gitDirectories: new Map() };
}

/**
 * Whether a folder inside the output directory is some repository's git directory, whatever points at
 * it (a submodule's, a worktree's, a bare repository's): git's own test — HEAD, objects/ and refs/.
 */
async function isGitDirectory(scope: WriteScope, directory: string): Promise<boolean> {
  let known = scope.gitDirectories.get(directory);
  if (known === undefined) {
    const kinds = Promise.all(['HEAD', 'objects', 'refs'].map((name) => stat(path.join(directory, name)).catch(() => undefined)));
    known = kinds.then(([head, objects, refs]) => head?.isFile() === true && objects?.isDirectory() === true && refs?.isDirectory() === true);
    scope.gitDirectories.set(directory, known);
  }
  return known;
}

async function insideGitDirectory(scope: WriteScope, folder: string): Promise<boolean> {
  for (let directory = folder; directory !== scope.root && within(directory, scope.root); directory = path.dirname(directory)) {
    if (await isGitDirectory(scope, directory)) return true;
  }
  return false;
}

export type ResolvedWrite = { ok: true; absolute: string } | { ok: false; reason: string };

/**
 * The absolute target of a checked relative path, or why it is refused. Folders are followed through
 * symlinks and the real path is checked: it must stay inside the output directory, out of every `.git`
 * and every protected place. The file itself must not be a symlink: a write would follow it.
 */
export async function resolveWrite(scope: WriteScope, relative: string): Promise<ResolvedWrite> {
  const written = path.join(scope.root, relative);
  const folder = await realExisting(path.dirname(written));
  const target = path.join(folder, path.basename(written));
  const inside = path.relative(scope.root, target);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return { ok: false, reason: 'a symlink leads outside the output directory' };
  if (inside.split(path.sep).some((segment) => segment.toLowerCase() === '.git')) return { ok: false, reason: 'a symlink leads into .git' };
  if ((await lstat(target).catch(() => undefined))?.isSymbolicLink()) return { ok: false, reason: 'it is a symlink; a run does not write through or replace symlinks' };
  for (const place of scope.protect) {
    if (within(target, place.path)) return { ok: false, reason: place.reason };
  }
  if (await insideGitDirectory(scope, folder)) return { ok: false, reason: 'it writes into a git directory' };
  return { ok: true, absolute: target };
}

export async function resolveInside(outputDirectory: string, relative: string): Promise<ResolvedWrite> {
  return resolveWrite(await openWriteScope(outputDirectory), relative);
}
