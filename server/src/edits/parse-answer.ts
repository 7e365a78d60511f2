// One reader for a worker's whole answer: the whole files it writes, the SEARCH/REPLACE blocks that
// edit existing files, and what is malformed in it, each in answer order. The forms
// (/work/shared/edit-formats.md):
//   whole files   ===FILE: p=== … ===ENDFILE===,  FILENAME: p (first line),  ```ts p (a fence naming p),
//                 **p** / ### p / `p` / p: alone on a line, then a fence
//   edits         p alone on a line (bare or decorated), then <<<<<<< SEARCH … ======= … >>>>>>> REPLACE,
//                 fenced or not, or with p as the fence's first line; Cline's ------- SEARCH … +++++++ REPLACE
// A block without a path line of its own belongs to the file the answer named last. A file form whose
// body is SEARCH/REPLACE blocks is edits to that file, never a file holding the markers. Pure.
import {
  answerLines,
  emptyPathFinding,
  END_MARKER,
  FENCE_OPEN,
  fileContent,
  isFileHeader,
  missingEndMarkerFinding,
  pathInInfo,
  readFencedBody,
  readFilenameBlock,
  readHeaderBlock,
  strayEndMarkerFinding,
  unclosedFenceFinding,
  unwrapFence,
  type BlockFinding,
  type FileBlock,
  type HeaderBlock,
} from '../run/file-blocks';
import { editMarker, type EditFormat } from './markers';
import { pathLine } from './path-line';

export interface EditBlock {
  /** As written in the answer; containment is checked where files are written. */
  path: string;
  /** The lines to find, each ending in \n ('' for an empty SEARCH). */
  search: string;
  /** The lines they become, each ending in \n. */
  replace: string;
  /** 1-based line of the block's SEARCH marker in the answer. */
  line: number;
  format: EditFormat;
}

export interface ParsedAnswer {
  files: FileBlock[];
  edits: EditBlock[];
  findings: BlockFinding[];
  /**
   * The answer ends inside an unclosed block (edit or file): it was cut off, or its last end marker is
   * missing. An unclosed edit block is never in `edits`; an unclosed file is in `files`, as far as it goes.
   */
  cutOff: boolean;
}

interface Reading {
  readonly lines: readonly string[];
  readonly result: ParsedAnswer;
  /** The file the answer named last: edit blocks without a path line of their own belong to it. */
  lastPath: string | undefined;
  /** A decorated path line just read (blank lines since are allowed): a fence right after it is that file. */
  pendingPath: { path: string; line: number } | undefined;
}

/** The files, edits and findings of a worker's answer. */
export function parseAnswer(answer: string): ParsedAnswer {
  const lines = answerLines(answer);
  const reading: Reading = { lines, result: { files: [], edits: [], findings: [], cutOff: false }, lastPath: undefined, pendingPath: undefined };
  const named = readFilenameBlock(lines);
  if (named && named.path !== '' && startsWithEdits(lines, named.bodyStart, lines.length)) {
    reading.lastPath = named.path;
    readRange(reading, named.bodyStart, lines.length);
  } else if (named) {
    addFile(reading, named.path, unwrapFence(named.body), named.line);
  } else {
    readRange(reading, 0, lines.length);
  }
  return reading.result;
}

function readRange(reading: Reading, start: number, end: number): void {
  for (let index = start; index < end; ) index = readAt(reading, index, end);
}

/** Reads the construct at `index` and returns the index to read on from. */
function readAt(reading: Reading, index: number, end: number): number {
  const line = reading.lines[index];
  const marker = editMarker(line);
  if (marker?.kind === 'search') return readEditBlock(reading, index, end, marker.format);
  if (marker) {
    reportStrayMarker(reading, index, marker.kind);
    return index + 1;
  }
  const header = readHeaderBlock(reading.lines, index);
  if (header) return readHeader(reading, header);
  if (END_MARKER.test(line)) {
    reading.result.findings.push(strayEndMarkerFinding(index + 1));
    return index + 1;
  }
  const fence = FENCE_OPEN.exec(line);
  if (fence) return readFence(reading, index, end, fence[1], fence[2]);
  const named = pathLine(line);
  if (named) {
    reading.lastPath = named.path;
    reading.pendingPath = named.decorated ? { path: named.path, line: index + 1 } : undefined;
  } else if (line.trim() !== '') {
    reading.pendingPath = undefined;
  }
  return index + 1;
}

function readHeader(reading: Reading, header: HeaderBlock): number {
  const { lines, result } = reading;
  reading.pendingPath = undefined;
  if (!header.closed) {
    result.findings.push(missingEndMarkerFinding(header));
    if (isAnswerEnd(lines, header.next)) result.cutOff = true;
  }
  // The body starts on the line after the header, whose index is the header's 1-based line.
  const bodyStart = header.line;
  const bodyEnd = bodyStart + header.body.length;
  if (header.path !== '' && startsWithEdits(lines, bodyStart, bodyEnd)) {
    reading.lastPath = header.path;
    readRange(reading, bodyStart, bodyEnd);
  } else {
    if (header.path !== '') reading.lastPath = header.path;
    addFile(reading, header.path, unwrapFence(header.body), header.line);
  }
  return header.next;
}

/** A fence naming a file (in its info string, or by a decorated path line before it) is that file. */
function readFence(reading: Reading, index: number, end: number, fence: string, info: string): number {
  const infoPath = pathInInfo(info);
  const named = infoPath !== undefined ? { path: infoPath, line: index + 1 } : reading.pendingPath;
  reading.pendingPath = undefined;
  // A fence naming nothing is a snippet, wraps the answer, or holds edit blocks: its lines are read on.
  if (named === undefined) return index + 1;
  reading.lastPath = named.path;
  if (startsWithEdits(reading.lines, index + 1, end)) return index + 1;
  const fenced = readFencedBody(reading.lines, index, fence, end);
  // A unified diff is not the file's content, and is not applied: edits are SEARCH/REPLACE blocks.
  if (/^(?:diff|patch)\b/.test(info) && !/\.(?:diff|patch)$/.test(named.path)) {
    reading.result.findings.push({ kind: 'unified-diff', line: index + 1, message: `line ${index + 1}: a unified diff for ${named.path} was not applied; edit an existing file with SEARCH/REPLACE blocks` });
    return fenced.next;
  }
  if (!fenced.closed) {
    reading.result.findings.push(unclosedFenceFinding(index + 1, named.path));
    if (isAnswerEnd(reading.lines, fenced.next)) reading.result.cutOff = true;
  }
  addFile(reading, named.path, fenced.body, named.line);
  return fenced.next;
}

function readEditBlock(reading: Reading, index: number, end: number, format: EditFormat): number {
  const { lines, result } = reading;
  const path = reading.lastPath;
  const line = index + 1;
  reading.pendingPath = undefined;
  if (path === undefined) {
    result.findings.push({ kind: 'edit-without-path', line, message: `line ${line}: a SEARCH/REPLACE block with no file named before it; put the file's path alone on the line before the block` });
  }
  const name = path ?? 'a file';
  const search: string[] = [];
  const replace: string[] = [];
  let inReplace = false;
  for (let next = index + 1; next < end; next++) {
    const marker = editMarker(lines[next]);
    const interrupted = marker?.kind === 'search' || isFileHeader(lines[next]);
    if (!inReplace && marker?.kind === 'divider') {
      inReplace = true;
    } else if (inReplace && marker?.kind === 'replace') {
      if (path !== undefined) result.edits.push({ path, search: fileContent(search), replace: fileContent(replace), line, format });
      return next + 1;
    } else if (!inReplace && (marker?.kind === 'replace' || interrupted)) {
      result.findings.push({ kind: 'missing-divider', line, message: `line ${line}: the SEARCH/REPLACE block for ${name} has no ======= line between its SEARCH and REPLACE parts; it was not applied` });
      return marker?.kind === 'replace' ? next + 1 : next;
    } else if (inReplace && interrupted) {
      result.findings.push({ kind: 'missing-replace-marker', line, message: `line ${line}: the SEARCH/REPLACE block for ${name} has no >>>>>>> REPLACE line before the next block; it was not applied` });
      return next;
    } else {
      (inReplace ? replace : search).push(lines[next]);
    }
  }
  if (isAnswerEnd(lines, end)) {
    result.cutOff = true;
    result.findings.push({ kind: 'unclosed-edit', line, message: `line ${line}: the answer ends inside the SEARCH/REPLACE block for ${name} (cut off, or its ${inReplace ? '>>>>>>> REPLACE' : '======='} line is missing); it was not applied` });
  } else {
    result.findings.push({ kind: inReplace ? 'missing-replace-marker' : 'missing-divider', line, message: `line ${line}: the SEARCH/REPLACE block for ${name} ends with its file block, without its ${inReplace ? '>>>>>>> REPLACE' : '======='} line; it was not applied` });
  }
  return end;
}

function reportStrayMarker(reading: Reading, index: number, kind: 'divider' | 'replace'): void {
  const line = index + 1;
  if (kind === 'replace') {
    reading.result.findings.push({ kind: 'stray-replace-marker', line, message: `line ${line}: a REPLACE line with no SEARCH block open` });
    return;
  }
  // A row of = under a line of text is a Markdown heading's underline, not a marker.
  const previous = index > 0 ? reading.lines[index - 1] : '';
  if (previous.trim() !== '' && !FENCE_OPEN.test(previous)) return;
  reading.result.findings.push({ kind: 'stray-divider', line, message: `line ${line}: a ======= line with no SEARCH block open` });
}

function addFile(reading: Reading, path: string, body: string[], line: number): void {
  if (path === '') reading.result.findings.push(emptyPathFinding(line));
  else reading.result.files.push({ path, content: fileContent(body), line });
}

/** Whether a block's body is edit blocks: its first line, past blanks, fences and one path line, is a SEARCH marker. */
function startsWithEdits(lines: readonly string[], start: number, end: number): boolean {
  let pathSeen = false;
  for (let index = start; index < end; index++) {
    const line = lines[index];
    if (line.trim() === '' || FENCE_OPEN.test(line)) continue;
    if (editMarker(line)?.kind === 'search') return true;
    if (pathSeen || !pathLine(line)) return false;
    pathSeen = true;
  }
  return false;
}

function isAnswerEnd(lines: readonly string[], from: number): boolean {
  for (let index = from; index < lines.length; index++) if (lines[index].trim() !== '') return false;
  return true;
}
