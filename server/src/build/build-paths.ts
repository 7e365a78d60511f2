// Paths as build tools print them, mapped to files in the output directory. Pure string work: the tools ran
// elsewhere (maybe on Windows), so nothing here looks at the disk.
import { posix } from 'node:path';

// Control sequences: CSI (colours, cursor), OSC (hyperlinks, titles; ended by BEL or ST, or cut off at the line's
// end) and the two-byte escapes. Each alternative scans forward only, so stripping stays linear.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;

/** Removes ANSI escape sequences (tsc --pretty colours even when its output is not a terminal). */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

/**
 * The file a printed path names, as a relative POSIX path inside `outputDirectory` (absolute), or undefined when it
 * is outside it: `..` escapes, other absolute paths, node_modules, and pseudo paths such as Python's `<string>`, Go's
 * `$GOROOT/…` or `~/…`. Relative paths are taken relative to the output directory; backslashes count as separators.
 */
export function resolveBuildPath(rawPath: string, outputDirectory: string): string | undefined {
  const path = rawPath.trim().replace(/\\/g, '/');
  if (path === '' || /^[<$~]/.test(path)) return undefined;
  let relative: string;
  if (isAbsolute(path)) {
    const full = posix.normalize(path);
    const root = posix.normalize(outputDirectory.replace(/\\/g, '/'));
    const prefix = root.endsWith('/') ? root : `${root}/`;
    // Drive letters (and Windows paths generally) compare without case.
    const windows = /^[A-Za-z]:\//.test(prefix);
    const inside = windows ? full.toLowerCase().startsWith(prefix.toLowerCase()) : full.startsWith(prefix);
    if (!isAbsolute(root) || !inside) return undefined;
    relative = full.slice(prefix.length);
  } else {
    relative = posix.normalize(path);
  }
  if (relative === '' || relative === '.' || relative === '..' || relative.startsWith('../')) return undefined;
  if (relative.split('/').includes('node_modules')) return undefined;
  return relative.replace(/\/$/, '');
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:\//.test(path);
}
