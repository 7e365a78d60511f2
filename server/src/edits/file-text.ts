// A file as the applier edits it: its lines, each line's own ending, and its BOM, so that what no block
// touches comes back byte for byte and new lines take the file's usual line ending. Pure.

export interface FileText {
  bom: boolean;
  lines: string[];
  /** Each line's ending: '\n', '\r\n', or '' for a last line without one. */
  endings: string[];
  /** The ending most lines have, given to new lines. */
  eol: '\n' | '\r\n';
}

export function splitFileText(text: string): FileText {
  const bom = text.startsWith('\uFEFF');
  const body = bom ? text.slice(1) : text;
  const lines: string[] = [];
  const endings: string[] = [];
  let crlf = 0;
  for (let start = 0; start < body.length; ) {
    const newline = body.indexOf('\n', start);
    if (newline === -1) {
      lines.push(body.slice(start));
      endings.push('');
      break;
    }
    const carriage = newline > start && body.charCodeAt(newline - 1) === 13;
    lines.push(body.slice(start, carriage ? newline - 1 : newline));
    endings.push(carriage ? '\r\n' : '\n');
    if (carriage) crlf++;
    start = newline + 1;
  }
  return { bom, lines, endings, eol: crlf * 2 > lines.length ? '\r\n' : '\n' };
}

export function joinFileText(file: FileText): string {
  const { lines, endings } = file;
  if (lines.length === 0) return '';
  const bom = file.bom ? '\uFEFF' : '';
  // Most files end every line alike: one join is several times faster than one part per line.
  const ending = endings[0];
  let uniform = true;
  for (let index = 0; index < lines.length - 1 && uniform; index++) uniform = endings[index] === ending;
  if (uniform) return `${bom}${lines.join(ending)}${endings[lines.length - 1]}`;
  const parts: string[] = [bom];
  for (let index = 0; index < lines.length; index++) parts.push(lines[index], endings[index]);
  return parts.join('');
}

/**
 * Replaces `count` lines at `start` with `replacement`, which get the file's usual ending. At the end of
 * the file the last line keeps the old last line's ending, so a file without a final newline keeps
 * not having one.
 */
export function replaceLines(file: FileText, start: number, count: number, replacement: readonly string[]): void {
  const { lines, endings, eol } = file;
  const atEnd = start + count === lines.length;
  const lastEnding = lines.length === 0 ? eol : endings[lines.length - 1];
  const newEndings: string[] = replacement.map(() => eol);
  if (atEnd && replacement.length > 0) {
    newEndings[newEndings.length - 1] = lastEnding;
    if (start > 0 && endings[start - 1] === '') endings[start - 1] = eol;
  } else if (atEnd && start > 0) {
    endings[start - 1] = lastEnding;
  }
  lines.splice(start, count, ...replacement);
  endings.splice(start, count, ...newEndings);
}

/** A SEARCH or REPLACE text as lines: a BOM and CR line ends dropped, no empty line after a final newline. */
export function textLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export const isBlank = (line: string): boolean => line.trim() === '';
