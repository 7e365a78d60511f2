// The files a worker's answer contains. Three forms, as models write them:
//   ===FILE: src/app.ts===  …  ===ENDFILE===        electrictown's protocol
//   FILENAME: src/app.ts  (first line; the rest is the file)
//   ```ts src/app.ts  …  ```                        a fence whose info string names a path
// Unlike electrictown's parser, a block missing its end marker ends at the next block instead of
// swallowing it, content keeps its final newline, and a fence wrapped around a block's content is
// removed. Paths are returned as written; containment is checked where files are written. Pure.
// The readers below are shared with edits/parse-answer.ts, which reads edit blocks as well.

export interface FileBlock {
  path: string;
  content: string;
  /** 1-based line of the block's header in the answer. */
  line: number;
}

export type BlockFindingKind =
  | 'missing-end-marker'
  | 'unclosed-fence'
  | 'empty-path'
  | 'stray-end-marker'
  // Edit blocks (edits/parse-answer.ts):
  | 'unclosed-edit'
  | 'missing-divider'
  | 'missing-replace-marker'
  | 'edit-without-path'
  | 'stray-divider'
  | 'stray-replace-marker'
  | 'unified-diff';

export interface BlockFinding {
  kind: BlockFindingKind;
  line: number;
  message: string;
}

export interface ParsedBlocks {
  files: FileBlock[];
  findings: BlockFinding[];
}

const FILE_HEADER = /^\s*===\s*FILE:\s*(.*?)\s*===\s*$/;
export const isFileHeader = (line: string): boolean => FILE_HEADER.test(line);
export const END_MARKER = /^\s*===\s*ENDFILE\s*===\s*$/;
const FILENAME_LINE = /^\s*FILENAME:\s*(.*?)\s*$/;
export const FENCE_OPEN = /^\s*(`{3,}|~{3,})\s*(.*?)\s*$/;

/** An answer's lines: without a leading BOM, CRLF or CR line ends read as LF. */
export function answerLines(answer: string): string[] {
  return answer.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
}

/**
 * Whether a name reads as a file path rather than a word: it has a slash or an extension, or is a
 * dotfile or a known extensionless file. `e.g.`, `v1.2.3`, `...` and URLs are not paths.
 */
export function looksLikePath(candidate: string): boolean {
  if (!/^[\p{L}\p{N}_.\-/\\@+~[\]()$%!]+$/u.test(candidate)) return false;
  // An extension has a letter: `v1.2.3` is a version.
  return /[/\\]/.test(candidate) || /^[^.\s][^\s]*\.[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*$/.test(candidate) || /^(?:Makefile|GNUmakefile|Dockerfile|Containerfile|Gemfile|Rakefile|Procfile|Jenkinsfile|Vagrantfile|\.[\w.-]*\w)$/.test(candidate);
}

/** A path-looking token of a fence's info string: `ts src/app.ts`, `src/app.ts`, `python:app.py`, `title="a.go"`. */
export function pathInInfo(info: string): string | undefined {
  for (const raw of info.split(/\s+/)) {
    const token = raw.replace(/^(?:title|file|filename|path)=/, '').replace(/^["']|["']$/g, '');
    const candidate = token.includes(':') && !/^[a-z]:[\\/]/i.test(token) ? token.slice(token.indexOf(':') + 1) : token;
    // A bare language name (`ts`, `python`) is not a path; a name with an extension or a slash is.
    if (looksLikePath(candidate)) return candidate;
  }
  return undefined;
}

export function isFenceClose(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed[0] === fence[0] && /^(`+|~+)$/.test(trimmed);
}

/** A block's lines as file content: each line ends in \n, so the file keeps its final newline. */
export function fileContent(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Removes a fence wrapped around the whole content (```ts … ```), which models add inside file blocks. */
export function unwrapFence(lines: string[]): string[] {
  let first = 0;
  let last = lines.length - 1;
  while (first <= last && lines[first].trim() === '') first++;
  while (last >= first && lines[last].trim() === '') last--;
  if (last <= first) return lines;
  const open = FENCE_OPEN.exec(lines[first]);
  if (!open || !isFenceClose(lines[last], open[1])) return lines;
  return lines.slice(first + 1, last);
}

function withoutTrailingBlankLines(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === '') end--;
  return lines.slice(0, end);
}

export interface FilenameBlock {
  path: string;
  /** 1-based line of the FILENAME: line. */
  line: number;
  /** Index of the first line after it. */
  bodyStart: number;
  /** The rest of the answer, trailing blank lines removed. */
  body: string[];
}

/** The FILENAME: form: the answer's first non-blank line names the file, and the rest is it. */
export function readFilenameBlock(lines: readonly string[]): FilenameBlock | undefined {
  const first = lines.findIndex((line) => line.trim() !== '');
  const named = first === -1 ? undefined : FILENAME_LINE.exec(lines[first]);
  if (!named) return undefined;
  return { path: named[1], line: first + 1, bodyStart: first + 1, body: withoutTrailingBlankLines(lines.slice(first + 1)) };
}

export interface HeaderBlock {
  path: string;
  /** 1-based line of the ===FILE=== header. */
  line: number;
  /** The lines after the header, up to its end marker (an unclosed block's trailing blank lines removed). */
  body: string[];
  closed: boolean;
  /** Index of the line to read on from. */
  next: number;
}

/** The ===FILE: path=== block starting at `index`, if that line is a header. */
export function readHeaderBlock(lines: readonly string[], index: number): HeaderBlock | undefined {
  const header = FILE_HEADER.exec(lines[index]);
  if (!header) return undefined;
  const body: string[] = [];
  let next = index + 1;
  for (; next < lines.length; next++) {
    if (END_MARKER.test(lines[next])) return { path: header[1], line: index + 1, body, closed: true, next: next + 1 };
    if (FILE_HEADER.test(lines[next])) break;
    body.push(lines[next]);
  }
  // What follows the last line of an unterminated block is usually the model's closing remark; the
  // block ends at the next header or the end of the answer.
  return { path: header[1], line: index + 1, body: withoutTrailingBlankLines(body), closed: false, next };
}

export interface FencedBody {
  body: string[];
  closed: boolean;
  next: number;
}

/** The lines of the fence opened at `index` with `fence` (``` or ~~~), up to its close or `end`. */
export function readFencedBody(lines: readonly string[], index: number, fence: string, end = lines.length): FencedBody {
  const body: string[] = [];
  for (let next = index + 1; next < end; next++) {
    if (isFenceClose(lines[next], fence)) return { body, closed: true, next: next + 1 };
    body.push(lines[next]);
  }
  return { body: withoutTrailingBlankLines(body), closed: false, next: end };
}

export function missingEndMarkerFinding(block: HeaderBlock): BlockFinding {
  return { kind: 'missing-end-marker', line: block.line, message: `line ${block.line}: ${block.path || 'a file block'} has no ===ENDFILE=== marker; it ends where the next block starts` };
}

export function unclosedFenceFinding(line: number, path: string): BlockFinding {
  return { kind: 'unclosed-fence', line, message: `line ${line}: the code block for ${path} is never closed; it runs to the end of the answer` };
}

export function emptyPathFinding(line: number): BlockFinding {
  return { kind: 'empty-path', line, message: `line ${line}: a file block with no path` };
}

export function strayEndMarkerFinding(line: number): BlockFinding {
  return { kind: 'stray-end-marker', line, message: `line ${line}: ===ENDFILE=== with no file block open` };
}

export function parseFileBlocks(answer: string): ParsedBlocks {
  const lines = answerLines(answer);
  const files: FileBlock[] = [];
  const findings: BlockFinding[] = [];
  const add = (path: string, body: string[], line: number) => {
    if (path === '') findings.push(emptyPathFinding(line));
    else files.push({ path, content: fileContent(body), line });
  };

  const named = readFilenameBlock(lines);
  if (named) {
    add(named.path, unwrapFence(named.body), named.line);
    return { files, findings };
  }

  for (let index = 0; index < lines.length; ) {
    const header = readHeaderBlock(lines, index);
    if (header) {
      if (!header.closed) findings.push(missingEndMarkerFinding(header));
      add(header.path, unwrapFence(header.body), header.line);
      index = header.next;
      continue;
    }
    if (END_MARKER.test(lines[index])) {
      findings.push(strayEndMarkerFinding(index + 1));
      index++;
      continue;
    }
    const fence = FENCE_OPEN.exec(lines[index]);
    const path = fence ? pathInInfo(fence[2]) : undefined;
    if (fence && path !== undefined) {
      const fenced = readFencedBody(lines, index, fence[1]);
      if (!fenced.closed) findings.push(unclosedFenceFinding(index + 1, path));
      add(path, fenced.body, index + 1);
      index = fenced.next;
      continue;
    }
    // A fence without a path is prose, or wraps the whole answer: its lines are read on, so file
    // blocks inside it are still found.
    index++;
  }
  return { files, findings };
}
