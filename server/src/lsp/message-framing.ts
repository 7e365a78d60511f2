// The LSP base protocol's header, read strictly: `Name: value` lines of printable ASCII, each ended by
// CRLF, an empty line, and exactly one `Content-Length` of decimal digits no larger than the limit.
// vscode-jsonrpc's reader takes `parseInt` of the value ("12abc" is 12, "-5" is -5) and waits for any
// length it is told, so a bad header there leaves the server waiting forever or reading at the wrong
// offset; here it is refused as soon as its first wrong byte arrives. Pure.

/** LSP headers are two short lines; a header block longer than this is not one. */
export const MAX_HEADER_BYTES = 8 * 1024;

/**
 * The largest message body read: VS Code syncs no file over 50 MB to extensions, and JSON-escaping
 * it stays under this. A larger `Content-Length` is refused before any of its body is kept.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface FramingLimits {
  maxHeaderBytes: number;
  maxMessageBytes: number;
}

export const DEFAULT_FRAMING_LIMITS: FramingLimits = { maxHeaderBytes: MAX_HEADER_BYTES, maxMessageBytes: MAX_MESSAGE_BYTES };

export type HeaderRead =
  /** More bytes are needed; nothing wrong so far. */
  | { kind: 'incomplete' }
  /** `headerBytes` (up to and including the empty line) are the header; the body follows. */
  | { kind: 'header'; headerBytes: number; contentLength: number }
  /** Not a header: `reason` says what is wrong, for the error reply and the log. */
  | { kind: 'malformed'; reason: string };

const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
// RFC 9110 token characters, which a header name is made of.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const DIGITS = /^[0-9]+$/;

function isTokenByte(byte: number): boolean {
  return TOKEN.test(String.fromCharCode(byte));
}

/** A line or value as it is shown in a reason: quoted, and cut short when long. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

/** The body's length from the header lines, or why there is none. */
function contentLength(lines: readonly string[], limits: FramingLimits): { length: number } | { reason: string } {
  const values = lines.filter((line) => line.slice(0, line.indexOf(':')).toLowerCase() === 'content-length').map((line) => line.slice(line.indexOf(':') + 1).trim());
  if (values.length === 0) return { reason: 'the header has no Content-Length' };
  if (values.length > 1) return { reason: `the header gives Content-Length ${values.length} times` };
  const [value] = values;
  if (!DIGITS.test(value)) return { reason: `Content-Length ${quoted(value)} is not a whole number of bytes` };
  // Compared as digits first: a value past 2^53 would not survive becoming a number.
  const digits = value.replace(/^0+(?=.)/, '');
  if (digits.length > String(limits.maxMessageBytes).length || Number(digits) > limits.maxMessageBytes) return { reason: `Content-Length ${digits} is over the limit of ${limits.maxMessageBytes} bytes` };
  return { length: Number(digits) };
}

/**
 * Reads the header at the start of `bytes` (where a message starts). Every byte is checked as it
 * arrives, so garbage — a body sent without a header, binary, a bare LF — is refused at once rather
 * than waited on; a header that never ends is refused at `maxHeaderBytes`.
 */
export function readHeader(bytes: Uint8Array, limits: FramingLimits = DEFAULT_FRAMING_LIMITS): HeaderRead {
  const lines: string[] = [];
  let lineStart = 0;
  let nameEnded = false;
  const end = Math.min(bytes.length, limits.maxHeaderBytes);
  for (let offset = 0; offset < end; offset++) {
    const byte = bytes[offset];
    if (byte === CR) {
      if (offset + 1 === bytes.length) return { kind: 'incomplete' };
      if (bytes[offset + 1] !== LF) return { kind: 'malformed', reason: `a header line ends in CR without LF (byte ${offset})` };
      const line = Buffer.from(bytes.subarray(lineStart, offset)).toString('latin1');
      offset++;
      if (line === '') {
        const length = contentLength(lines, limits);
        return 'length' in length ? { kind: 'header', headerBytes: offset + 1, contentLength: length.length } : { kind: 'malformed', reason: length.reason };
      }
      if (!nameEnded) return { kind: 'malformed', reason: `header line ${quoted(line)} is not "Name: value"` };
      lines.push(line);
      lineStart = offset + 1;
      nameEnded = false;
      continue;
    }
    if (byte === LF) return { kind: 'malformed', reason: `a header line ends in LF without CR (byte ${offset})` };
    // Printable ASCII and tabs only: anything else is not a header.
    if ((byte < 0x20 && byte !== 0x09) || byte > 0x7e) return { kind: 'malformed', reason: `byte ${hex(byte)} at ${offset} cannot be in a header` };
    if (nameEnded) continue;
    if (byte === COLON) {
      if (offset === lineStart) return { kind: 'malformed', reason: `a header line has no name before ":" (byte ${offset})` };
      nameEnded = true;
    } else if (!isTokenByte(byte)) {
      return { kind: 'malformed', reason: `${quoted(String.fromCharCode(byte))} at byte ${offset} cannot be in a header name` };
    }
  }
  if (bytes.length >= limits.maxHeaderBytes) return { kind: 'malformed', reason: `no end of the header within ${limits.maxHeaderBytes} bytes` };
  return { kind: 'incomplete' };
}
