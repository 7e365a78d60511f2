// Bytes → lines, for SSE and NDJSON bodies. Chunks do not line up with characters or lines: a UTF-8
// sequence or a \r\n pair may be split between two chunks. Lines end at \r\n, \n or \r. Synchronous,
// one chunk at a time, so a chunk's lines are handled without an await per line; line ends are found
// with indexOf, which is an order of magnitude faster than a loop over the characters.
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  // A \r at the very end of a chunk may be the first half of \r\n.
  private sawCarriageReturn = false;

  /** The lines this chunk completes. */
  push(chunk: Uint8Array): string[] {
    let text = this.decoder.write(chunk as Buffer);
    if (text === '') return [];
    if (this.sawCarriageReturn && text.charCodeAt(0) === 10) text = text.slice(1);
    this.sawCarriageReturn = false;
    const pending = this.pending + text;
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
    return lines;
  }

  /** What is left after the last line ending: empty unless the body stopped mid-line. */
  end(): string {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest;
  }
}
