// Where a model may write: only inside the output directory. A path that is absolute, climbs out
// with `..`, carries a NUL or a drive letter, or names a `.git` directory is refused before any I/O;
// `resolveInside` then checks, through symlinks, that the target really is inside.
import { realpath } from 'node:fs/promises';
import path from 'node:path';

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

/** The deepest existing ancestor of a path (or the path itself), through symlinks. */
async function realExisting(target: string): Promise<string> {
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

/** The absolute target of a checked path under a real root, or why it is refused: a symlink may lead outside. */
export async function resolveUnder(realRoot: string, relative: string): Promise<{ ok: true; absolute: string } | { ok: false; reason: string }> {
  const target = await realExisting(path.join(realRoot, relative));
  const inside = path.relative(realRoot, target);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return { ok: false, reason: 'a symlink leads outside the output directory' };
  return { ok: true, absolute: target };
}

export async function resolveInside(outputDirectory: string, relative: string): Promise<{ ok: true; absolute: string } | { ok: false; reason: string }> {
  return resolveUnder(await realOutputDirectory(outputDirectory), relative);
}
