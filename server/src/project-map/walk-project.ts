// The files of a project folder, as a map should see them: .gitignore'd files, node_modules, .git and
// the excluded folders are never entered; symlinks to folders are not followed (no loops), a symlinked
// file only when its real path stays inside the root; binary (by extension) and oversized files are
// named with the reason. Folders are walked breadth-first in name order, so under the file limit the
// shallow files — a project's entry points and manifests — are the ones kept, the same ones every time.
import { type Dirent, promises as fs } from 'node:fs';
import path from 'node:path';
import { binaryExtension } from './file-kinds';
import { addGitignore, isIgnored, type GitignoreLevel } from './gitignore';
import type { SkippedFile } from './types';

export interface WalkOptions {
  root: string;
  /** Folders never entered, relative to the root (POSIX). */
  exclude: readonly string[];
  maxFiles: number;
  maxFileBytes: number;
  /** Stop walking after this time (ms since the epoch). */
  deadline: number;
  signal?: AbortSignal;
}

export interface WalkedFile {
  /** Relative to the root, POSIX. */
  path: string;
  absolute: string;
  size: number;
  mtimeMs: number;
}

export interface Walk {
  /** Sorted by path. */
  files: WalkedFile[];
  skipped: SkippedFile[];
  /** Files found beyond the limit. */
  omitted: number;
  /** Whether the time limit stopped the walk. */
  timedOut: boolean;
}

const NEVER_ENTERED: ReadonlySet<string> = new Set(['.git', 'node_modules']);

interface Folder {
  path: string;
  levels: readonly GitignoreLevel[];
}

export async function walkProject(options: WalkOptions): Promise<Walk> {
  const root = path.resolve(options.root);
  const walk: Walk = { files: [], skipped: [], omitted: 0, timedOut: false };
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch (error) {
    // A new run's output folder need not exist yet: its map is empty.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return walk;
    throw error;
  }
  const excluded = new Set(options.exclude);
  let queue: Folder[] = [{ path: '', levels: [] }];
  while (queue.length > 0) {
    const next: Folder[] = [];
    for (const folder of queue) {
      options.signal?.throwIfAborted();
      if (Date.now() > options.deadline) {
        walk.timedOut = true;
        return sorted(walk);
      }
      next.push(...(await walkFolder(root, realRoot, folder, excluded, options, walk)));
    }
    queue = next;
  }
  return sorted(walk);
}

/** Lists one folder into `walk`; returns its subfolders to walk. */
async function walkFolder(root: string, realRoot: string, folder: Folder, excluded: ReadonlySet<string>, options: WalkOptions, walk: Walk): Promise<Folder[]> {
  const absolute = path.join(root, folder.path);
  let entries: Dirent[];
  try {
    entries = await fs.readdir(absolute, { withFileTypes: true });
  } catch (error) {
    walk.skipped.push({ path: folder.path, reason: `unreadable folder (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
    return [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let levels = folder.levels;
  if (entries.some((entry) => entry.name === '.gitignore' && !entry.isDirectory())) {
    const text = await fs.readFile(path.join(absolute, '.gitignore'), 'utf8').catch(() => '');
    levels = addGitignore(levels, folder.path, text);
  }
  const subfolders: Folder[] = [];
  const candidates: string[] = [];
  for (const entry of entries) {
    const relative = folder.path === '' ? entry.name : `${folder.path}/${entry.name}`;
    if (NEVER_ENTERED.has(entry.name) || excluded.has(relative)) continue;
    if (entry.isDirectory()) {
      if (!isIgnored(levels, relative, true)) subfolders.push({ path: relative, levels });
    } else if ((entry.isFile() || entry.isSymbolicLink()) && !isIgnored(levels, relative, false)) {
      if (entry.isSymbolicLink()) {
        const refusal = await symlinkRefusal(path.join(absolute, entry.name), realRoot);
        if (refusal) {
          walk.skipped.push({ path: relative, reason: refusal });
          continue;
        }
      }
      candidates.push(relative);
    }
  }
  await addFiles(root, candidates, options, walk);
  return subfolders;
}

/** Why a symlink is not mapped, or undefined when it is a file inside the root. */
async function symlinkRefusal(link: string, realRoot: string): Promise<string | undefined> {
  let target: string;
  try {
    target = await fs.realpath(link);
  } catch {
    return 'a broken symlink';
  }
  const inside = path.relative(realRoot, target);
  // '' is the root itself: inside, and a folder.
  if (inside.split(path.sep)[0] === '..' || path.isAbsolute(inside)) return 'a symlink that leads outside the project';
  const stat = await fs.stat(target);
  if (stat.isDirectory()) return 'a symlink to a folder (not followed)';
  return stat.isFile() ? undefined : 'a symlink to something that is not a file';
}

/** Adds a folder's files in name order, stat'ing as many at once as the limit leaves room for. */
async function addFiles(root: string, candidates: readonly string[], options: WalkOptions, walk: Walk): Promise<void> {
  let next = 0;
  while (next < candidates.length) {
    const room = options.maxFiles - walk.files.length;
    if (room <= 0) {
      // Counted, not listed: the files past the limit cost no stat.
      walk.omitted += candidates.length - next;
      return;
    }
    const batch = candidates.slice(next, next + room);
    next += batch.length;
    const stats = await Promise.all(batch.map((relative) => (binaryExtension(relative) ? undefined : fs.stat(path.join(root, relative)).catch((error: NodeJS.ErrnoException) => error))));
    for (const [index, relative] of batch.entries()) {
      const stat = stats[index];
      if (stat === undefined) walk.skipped.push({ path: relative, reason: `binary (.${binaryExtension(relative)})` });
      else if (stat instanceof Error) walk.skipped.push({ path: relative, reason: `unreadable (${stat.code ?? stat.message})` });
      else if (stat.size > options.maxFileBytes) walk.skipped.push({ path: relative, reason: `larger than ${formatBytes(options.maxFileBytes)} (${formatBytes(stat.size)})` });
      else walk.files.push({ path: relative, absolute: path.join(root, relative), size: stat.size, mtimeMs: stat.mtimeMs });
    }
  }
}

function sorted(walk: Walk): Walk {
  const byPath = <T extends { path: string }>(a: T, b: T) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  walk.files.sort(byPath);
  walk.skipped.sort(byPath);
  return walk;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
