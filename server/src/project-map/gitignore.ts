// .gitignore files as git reads them: each file's patterns apply below its own folder, and a deeper
// file's patterns win over a shallower one's (within a file, the last matching pattern wins). The
// pattern syntax itself — globs, `**`, `!` negation, a trailing `/` for folders, a leading `/` to anchor,
// escapes and character classes — is the `ignore` package's, which follows git's documentation. Pure.
import ignore from 'ignore';

type Ignore = ReturnType<typeof ignore>;
// As git's core.ignorecase defaults: case-insensitive where the file system usually is.
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

export interface GitignoreLevel {
  /** The folder holding the .gitignore, relative to the root, POSIX; '' for the root. */
  folder: string;
  rules: Ignore;
}

export function addGitignore(levels: readonly GitignoreLevel[], folder: string, text: string): GitignoreLevel[] {
  return [...levels, { folder, rules: ignore({ ignorecase: IGNORE_CASE }).add(text) }];
}

/** Whether the path (relative to the root, POSIX) is ignored; folders are tested as folders (`build/`). */
export function isIgnored(levels: readonly GitignoreLevel[], path: string, isFolder: boolean): boolean {
  for (let index = levels.length - 1; index >= 0; index--) {
    const { folder, rules } = levels[index];
    const relative = folder === '' ? path : path.slice(folder.length + 1);
    const verdict = rules.test(isFolder ? `${relative}/` : relative);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}
