// Where git keeps what it runs: a repository's git directory (`.git`, or the folder a `.git` file
// names with `gitdir:`) holds hooks and `core.fsmonitor`, and `core.hooksPath` may put hooks anywhere.
// A model that can write there can run code on the next `git status`, which VS Code runs constantly.
// The parsers are pure; `gitDirectoryOf` and `gitExecutablePlaces` read the disk.
import { readFile, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** The folder a `.git` *file* points at (`gitdir: ../.git/modules/sub`), as written, or undefined. */
export function parseGitdirFile(text: string): string | undefined {
  const match = /^\s*gitdir:\s*(.+?)\s*$/m.exec(text.replace(/^\uFEFF/, ''));
  return match?.[1];
}

/**
 * `core.hooksPath` from a git config file's text, or undefined. Git's syntax: `[core]` sections (any
 * case), `key = value` with case-insensitive keys, values optionally quoted, `#`/`;` comments.
 */
export function parseHooksPath(configText: string): string | undefined {
  let inCore = false;
  let found: string | undefined;
  for (const raw of configText.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const section = /^\[\s*([^\]\s"]+)(?:\s+"[^"]*")?\s*\]\s*(.*)$/.exec(line);
    if (section) {
      inCore = section[1].toLowerCase() === 'core';
      if (section[2] === '') continue;
    }
    const entry = /^(?:\[[^\]]*\]\s*)?([A-Za-z][\w-]*)\s*=\s*(.*)$/.exec(line);
    if (!inCore || !entry || entry[1].toLowerCase() !== 'hookspath') continue;
    // The last value wins, as in git.
    found = entry[2].replace(/\s+[#;].*$/, '').replace(/^"(.*)"$/, '$1').trim();
  }
  return found === '' ? undefined : found;
}

async function exists(file: string): Promise<'file' | 'directory' | undefined> {
  try {
    const info = await stat(file);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

async function realOrSelf(file: string): Promise<string> {
  return realpath(file).catch(() => file);
}

/** The real git directory of a working tree (or undefined): `.git` itself, or where a `.git` file points. */
export async function gitDirectoryOf(workTree: string): Promise<string | undefined> {
  const dotGit = path.join(workTree, '.git');
  const kind = await exists(dotGit);
  if (kind === 'directory') return realOrSelf(dotGit);
  if (kind !== 'file') return undefined;
  const pointer = parseGitdirFile(await readFile(dotGit, 'utf8').catch(() => ''));
  return pointer === undefined ? undefined : realOrSelf(path.resolve(workTree, pointer));
}

/**
 * The places under a working tree from which git runs code: its git directory and its hooks path.
 * Read fresh at each call, so a config changed during a run is seen.
 */
export async function gitExecutablePlaces(workTree: string): Promise<{ path: string; reason: string }[]> {
  const gitDirectory = await gitDirectoryOf(workTree);
  if (gitDirectory === undefined) return [];
  const places = [{ path: gitDirectory, reason: "it writes into the repository's git directory" }];
  const hooksPath = parseHooksPath(await readFile(path.join(gitDirectory, 'config'), 'utf8').catch(() => ''));
  if (hooksPath !== undefined) {
    const expanded = hooksPath.startsWith('~/') ? path.join(homedir(), hooksPath.slice(2)) : hooksPath;
    places.push({ path: await realOrSelf(path.resolve(workTree, expanded)), reason: "it writes into git's hooks folder (core.hooksPath)" });
  }
  return places;
}
