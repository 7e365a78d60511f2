// The files a worker's answer contains. Three forms, as models write them:
//   ===FILE: src/app.ts===  …  ===ENDFILE===        electrictown's protocol
//   FILENAME: src/app.ts  (first line; the rest is the file)
//   ```ts src/app.ts  …  ```                        a fence whose info string names a path
// Unlike electrictown's parser, a block missing its end marker ends at the next block instead of
// swallowing it, content keeps its final newline, and a fence wrapped around a block's content is
// removed. Paths are returned as written; containment is checked where files are written. Pure.

export interface FileBlock {
  path: string;
  content: string;
  /** 1-based line of the block's header in the answer. */
  line: number;
}

export type BlockFindingKind = 'missing-end-marker' | 'unclosed-fence' | 'empty-path' | 'stray-end-marker';

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
const END_MARKER = /^\s*===\s*ENDFILE\s*===\s*$/;
const FILENAME_LINE = /^\s*FILENAME:\s*(.*?)\s*$/;
const FENCE_OPEN = /^\s*(`{3,}|~{3,})\s*(.*?)\s*$/;

/** A path-looking token of a fence's info string: `ts src/app.ts`, `src/app.ts`, `python:app.py`, `title="a.go"`. */
function pathInInfo(info: string): string | undefined {
  for (const raw of info.split(/\s+/)) {
    const token = raw.replace(/^(?:title|file|filename|path)=/, '').replace(/^["']|["']$/g, '');
    const candidate = token.includes(':') && !/^[a-z]:[\\/]/i.test(token) ? token.slice(token.indexOf(':') + 1) : token;
    // A bare language name (`ts`, `python`) is not a path; a name with an extension or a slash is.
    if (/[/\\]/.test(candidate) || /^[^.\s][^\s]*\.[A-Za-z0-9]+$/.test(candidate) || /^(?:Makefile|Dockerfile|\.[\w.-]+)$/.test(candidate)) return candidate;
  }
  return undefined;
}

function isFenceClose(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed[0] === fence[0] && /^(`+|~+)$/.test(trimmed);
}

/** A block's lines as file content: each line ends in \n, so the file keeps its final newline. */
function contentOf(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Removes a fence wrapped around the whole content (```ts … ```), which models add inside file blocks. */
function unwrapFence(lines: string[]): string[] {
  let first = 0;
  let last = lines.length - 1;
  while (first <= last && lines[first].trim() === '') first++;
  while (last >= first && lines[last].trim() === '') last--;
  if (last <= first) return lines;
  const open = FENCE_OPEN.exec(lines[first]);
  if (!open || !isFenceClose(lines[last], open[1])) return lines;
  return lines.slice(first + 1, last);
}

export function parseFileBlocks(answer: string): ParsedBlocks {
  const lines = answer.replace(/\r\n?/g, '\n').split('\n');
  const files: FileBlock[] = [];
  const findings: BlockFinding[] = [];
  const add = (path: string, body: string[], line: number) => {
    if (path === '') findings.push({ kind: 'empty-path', line, message: `line ${line}: a file block with no path` });
    else files.push({ path, content: contentOf(body), line });
  };

  const filename = lines.findIndex((line) => line.trim() !== '');
  const named = filename === -1 ? undefined : FILENAME_LINE.exec(lines[filename]);
  if (named) {
    let body = lines.slice(filename + 1);
    while (body.length > 0 && body[body.length - 1].trim() === '') body = body.slice(0, -1);
    add(named[1], unwrapFence(body), filename + 1);
    return { files, findings };
  }

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const header = FILE_HEADER.exec(line);
    if (header) {
      const start = index;
      const body: string[] = [];
      let closed = false;
      for (index++; index < lines.length; index++) {
        if (END_MARKER.test(lines[index])) {
          closed = true;
          break;
        }
        if (FILE_HEADER.test(lines[index])) {
          index--;
          break;
        }
        body.push(lines[index]);
      }
      if (!closed) {
        // What follows the last line of an unterminated block is usually the model's closing remark; the
        // block ends at the next header or the end of the answer, and the file is kept, with a finding.
        while (body.length > 0 && body[body.length - 1].trim() === '') body.pop();
        findings.push({ kind: 'missing-end-marker', line: start + 1, message: `line ${start + 1}: ${header[1] || 'a file block'} has no ===ENDFILE=== marker; it ends where the next block starts` });
      }
      add(header[1], unwrapFence(body), start + 1);
      continue;
    }
    if (END_MARKER.test(line)) {
      findings.push({ kind: 'stray-end-marker', line: index + 1, message: `line ${index + 1}: ===ENDFILE=== with no file block open` });
      continue;
    }
    const fence = FENCE_OPEN.exec(line);
    const path = fence ? pathInInfo(fence[2]) : undefined;
    if (fence && path !== undefined) {
      const start = index;
      const body: string[] = [];
      let closed = false;
      for (index++; index < lines.length; index++) {
        if (isFenceClose(lines[index], fence[1])) {
          closed = true;
          break;
        }
        body.push(lines[index]);
      }
      if (!closed) {
        while (body.length > 0 && body[body.length - 1].trim() === '') body.pop();
        findings.push({ kind: 'unclosed-fence', line: start + 1, message: `line ${start + 1}: the code block for ${path} is never closed; it runs to the end of the answer` });
      }
      add(path, body, start + 1);
    }
    // A fence without a path is prose, or wraps the whole answer: its lines are read on, so file
    // blocks inside it are still found.
  }
  return { files, findings };
}
