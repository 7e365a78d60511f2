// Bytes → lines, for SSE and NDJSON bodies. Chunks do not line up with characters or lines: a UTF-8
// sequence or a \r\n pair may be split between two chunks. Lines end at \r\n, \n or \r. Synchronous,
// one chunk at a time, so a chunk's lines are handled without an await per line; line ends are found
// with indexOf, which is an order of magnitude faster than a loop over the characters.
import { StringDecoder } from 'node:string_decoder';

/** A line longer than this is no provider's event: the body is refused rather than held in memory. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export class LineTooLongError extends Error {
  constructor() {
    super(`a line of the answer's body passed ${MAX_LINE_CHARS.toLocaleString('en-US')} characters without ending`);
    this.name = 'LineTooLongError';
  }
}

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** Text with no line end yet, kept in pieces: joining them at every chunk would cost the square of a long line. */
  private pieces: string[] = [];
  private piecesLength = 0;
  // A \r at the very end of a chunk may be the first half of \r\n.
  private sawCarriageReturn = false;

  /** The lines this chunk completes. */
  push(chunk: Uint8Array): string[] {
    let text = this.decoder.write(chunk as Buffer);
    if (text === '') return [];
    if (this.sawCarriageReturn && text.charCodeAt(0) === 10) text = text.slice(1);
    this.sawCarriageReturn = false;
    if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) {
      this.pieces.push(text);
      this.piecesLength += text.length;
      if (this.pending.length + this.piecesLength > MAX_LINE_CHARS) throw new LineTooLongError();
      return [];
    }
    const pending = this.pending + this.pieces.join('') + text;
    this.pieces = [];
    this.piecesLength = 0;
    const lines: string[] = [];
    let start = 0;
    let lineFeed = pending.indexOf('\n');
    let carriageReturn = pending.indexOf('\r');
    while (lineFeed !== -1 || carriageReturn !== -1) {
      if (carriageReturn === -1 || (lineFeed !== -1 && lineFeed < carriageReturn)) {
        lines.push(pending.slice(start, lineFeed));
        start = lineFeed + 1;
      } else {
        lines.push(pending.slice(start, carriageReturn));
        start = carriageReturn + 1;
        if (start === pending.length) this.sawCarriageReturn = true;
        else if (pending.charCodeAt(start) === 10) start++;
      }
      if (lineFeed !== -1 && lineFeed < start) lineFeed = pending.indexOf('\n', start);
      if (carriageReturn !== -1 && carriageReturn < start) carriageReturn = pending.indexOf('\r', start);
    }
    this.pending = start === 0 ? pending : pending.slice(start);
    if (this.pending.length > MAX_LINE_CHARS) throw new LineTooLongError();
    return lines;
  }

  /** What is left after the last line ending: empty unless the body stopped mid-line. */
  end(): string {
    const rest = this.pending + this.pieces.join('') + this.decoder.end();
    this.pending = '';
    this.pieces = [];
    this.piecesLength = 0;
    return rest;
  }
}
