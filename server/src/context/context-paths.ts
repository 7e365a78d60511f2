// `--context` patterns → project files: a file path, a folder (every mapped file under it), or a glob
// (`*` within a name, `**` across folders, `?` one character), all relative to the output folder.
// Pure: it matches against the paths the project map found, plus any named file that exists.

/** A glob as a regular expression over POSIX relative paths. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index];
    if (character === '*' && glob[index + 1] === '*') {
      // `**/` matches any number of folders, none included; a trailing `**` everything below.
      const slash = glob[index + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      index += slash ? 2 : 1;
    } else if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else source += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const isGlob = (pattern: string) => /[*?]/.test(pattern);

export interface ContextSelection {
  files: string[];
  /** Patterns that matched nothing, for a warning. */
  unmatched: string[];
}

/**
 * The files the patterns name, in the order given, without repeats. `exists` says whether a plain path
 * not in `known` (a file the map skipped or left out) is a file all the same.
 */
export function selectContextFiles(patterns: readonly string[], known: readonly string[], exists: (path: string) => boolean): ContextSelection {
  const files: string[] = [];
  const unmatched: string[] = [];
  const add = (path: string) => {
    if (!files.includes(path)) files.push(path);
  };
  for (const raw of patterns) {
    const pattern = raw.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    let matched: string[];
    if (pattern === '' || pattern === '.') matched = [...known];
    else if (isGlob(pattern)) {
      const expression = globToRegExp(pattern);
      matched = known.filter((path) => expression.test(path));
    } else {
      matched = known.filter((path) => path === pattern || path.startsWith(`${pattern}/`));
      if (matched.length === 0 && exists(pattern)) matched = [pattern];
    }
    if (matched.length === 0) unmatched.push(raw);
    for (const path of matched) add(path);
  }
  return { files, unmatched };
}
