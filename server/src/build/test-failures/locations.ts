// Places named in failures — stack frames, traceback lines, `path:line` mentions — and how they become a
// failure's `file` and `related` files. Every reader here scans a line once: a test's output is not trusted
// to be small or well formed.
import type { FileLine, ResolvePath } from './test-failure';

/** Places kept per failure: a trace is a few dozen frames, a flood's are not all kept. */
export const MAX_PLACES = 100;

/** A place as printed: the path is not resolved yet. */
export interface RawLocation {
  rawPath: string;
  line: number | undefined;
}

const LINE_AND_COLUMN = /^(.+?):(\d+)(?::\d+)?$/;
// Any scheme but `file:` (and a drive letter) names no file on disk: node:internal/…, webpack:///…, http://…
const OTHER_SCHEME = /^[A-Za-z][\w+.-]+:/;

/**
 * A JavaScript stack frame without its `at ` (or vitest's `❯ `): `fn (path:L:C)`, `path:L:C`, `fn path:L:C`
 * or the same with a `file://` URL. Undefined for frames without a file (`<anonymous>`, `native`).
 */
export function readJsFrame(text: string): RawLocation | undefined {
  const trimmed = text.trim();
  const open = trimmed.endsWith(')') ? openingParenthesis(trimmed) : -1;
  const place = open >= 0 ? trimmed.slice(open + 1, -1) : trimmed.slice(trimmed.lastIndexOf(' ') + 1);
  const match = LINE_AND_COLUMN.exec(place);
  const path = match && toFilePath(match[1]);
  return path ? { rawPath: path, line: Number(match[2]) } : undefined;
}

// The `(` that the text's final `)` closes: a path may hold parentheses itself (Next.js's `app/(shop)/page.js`).
function openingParenthesis(text: string): number {
  let depth = 0;
  for (let index = text.length - 1; index >= 0; index--) {
    if (text[index] === ')') depth++;
    else if (text[index] === '(' && --depth === 0) return index;
  }
  return -1;
}

const PYTHON_FRAME = /^\s*File "(.+)", line (\d+)(?:, in (.*))?$/;

export interface PythonFrame extends RawLocation {
  functionName: string | undefined;
}

/** A Python traceback line, `  File "path", line N, in function`, with its function. */
export function readPythonFrame(line: string): PythonFrame | undefined {
  const match = PYTHON_FRAME.exec(line);
  return match ? { rawPath: match[1], line: Number(match[2]), functionName: match[3]?.trim() } : undefined;
}

const PERL_PLACE = /\bat (\S+) line (\d+)/g;
// A `path:L` token starts the text or follows a separator; its path holds no colon but a drive letter's or a
// file:// URL's. One scan over the text: each token is read once from the separator before it.
const TOKEN_PLACE = /(?:^|[\s'"`()[\]{},;<>])((?:file:\/\/)?(?:\/?[A-Za-z]:[\\/])?[^\s'"`()[\]{},;<>:]+):(\d+)/g;
const EXTENSION = /\.[A-Za-z]\w*$/;
// Longer tokens are not paths.
const MAX_PATH_LENGTH = 400;
// A line naming more places than this is not a trace line; the first ones are kept.
const MAX_PLACES_PER_LINE = 8;

/**
 * The places mentioned in a line of free text: `path.ext:L[:C]` tokens (compilers, assert(), most test
 * helpers) and Perl's `at path line N`. The path needs an extension, so that `10:30` or `localhost:8080` are
 * not read as places.
 */
export function findLocations(text: string): RawLocation[] {
  const found: RawLocation[] = [];
  if (text.includes(':')) {
    TOKEN_PLACE.lastIndex = 0;
    for (let match = TOKEN_PLACE.exec(text); match && found.length < MAX_PLACES_PER_LINE; match = TOKEN_PLACE.exec(text)) {
      const path = match[1].length <= MAX_PATH_LENGTH ? toFilePath(match[1]) : undefined;
      if (path && EXTENSION.test(path)) found.push({ rawPath: path, line: Number(match[2]) });
    }
  }
  if (text.includes(' line ')) {
    PERL_PLACE.lastIndex = 0;
    for (let match = PERL_PLACE.exec(text); match && found.length < MAX_PLACES_PER_LINE; match = PERL_PLACE.exec(text)) found.push({ rawPath: match[1], line: Number(match[2]) });
  }
  return found;
}

/** A printed path or `file://` URL as a path, or undefined for other schemes (`node:internal/…`). */
export function toFilePath(raw: string): string | undefined {
  if (raw.startsWith('file://')) {
    const path = raw.slice('file://'.length);
    return decodeUrlPath(/^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path);
  }
  if (OTHER_SCHEME.test(raw) && !/^[A-Za-z]:[\\/]/.test(raw)) return undefined;
  return raw;
}

function decodeUrlPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The first location whose file resolves inside the output directory, resolved. */
export function firstInside(locations: readonly RawLocation[], resolve: ResolvePath, accept: (file: string) => boolean = () => true): FileLine | undefined {
  for (const location of locations) {
    const file = resolve(location.rawPath);
    if (file !== undefined && accept(file)) return { file, line: location.line };
  }
  return undefined;
}

/** The locations' files inside the output directory, in order, each once (at its first line), without `file`. */
export function relatedFiles(locations: readonly RawLocation[], file: string | undefined, resolve: ResolvePath): FileLine[] {
  const related: FileLine[] = [];
  const seen = new Set<string>(file === undefined ? [] : [file]);
  for (const location of locations) {
    const resolved = resolve(location.rawPath);
    if (resolved === undefined || seen.has(resolved)) continue;
    seen.add(resolved);
    related.push({ file: resolved, line: location.line });
  }
  return related;
}

const TEST_DIRECTORY = /(?:^|\/)(?:tests?|__tests__|specs?|t)\//i;
const TEST_NAME = /(?:^|\/)(?:tests?[_.-][^/]*|[^/]*[_.-](?:tests?|spec)\.[^/.]+|[^/]*\.(?:test|spec)\.[^/]+|[^/]*Tests?\.[^/.]+)$/;

/** Whether a relative path looks like a test's file (tests/…, test_x.py, x_test.go, x.test.ts, XTest.java). */
export function looksLikeTestFile(path: string): boolean {
  return TEST_DIRECTORY.test(path) || TEST_NAME.test(path);
}
