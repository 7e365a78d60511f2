// Reads LSP messages from stdin with the strict framing of message-framing.ts, in place of
// vscode-jsonrpc's StreamMessageReader (which trusts any Content-Length). It reports through the same
// hooks: `onError` with one of the errors below, so the server can decide per case, and `onClose`.
// A body is kept only up to its limit and only as its bytes arrive; a header is never trusted to
// allocate.
import type { Readable } from 'node:stream';
import { AbstractMessageReader, Disposable, type DataCallback, type Message } from 'vscode-languageserver/node';
import { DEFAULT_FRAMING_LIMITS, readHeader, type FramingLimits } from './message-framing';

/** The header is broken: where the next message starts is unknown, so nothing more is read. */
export class FramingError extends Error {
  override readonly name = 'FramingError';
}

/** One message's body is not UTF-8 JSON; the next message is read as usual. */
export class MessageBodyError extends Error {
  override readonly name = 'MessageBodyError';
}

/** The stream ended partway through a message, which is dropped. */
export class TruncatedMessageError extends Error {
  override readonly name = 'TruncatedMessageError';
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class StrictMessageReader extends AbstractMessageReader {
  /** Bytes received and not yet read, in arrival order. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The body's length once its header is read; undefined while reading a header. */
  private bodyLength: number | undefined;
  private broken = false;

  constructor(
    private readonly readable: Readable,
    private readonly limits: FramingLimits = DEFAULT_FRAMING_LIMITS,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer) => this.onData(chunk, callback);
    const onError = (error: Error) => this.fireError(error);
    const onEnd = () => {
      if (!this.broken && (this.pendingBytes > 0 || this.bodyLength !== undefined)) {
        this.fireError(new TruncatedMessageError(`the input ended ${this.pendingBytes} bytes into a message${this.bodyLength === undefined ? '' : ` of ${this.bodyLength}`}`));
      }
    };
    const onClose = () => this.fireClose();
    this.readable.on('data', onData).on('error', onError).on('end', onEnd).on('close', onClose);
    return Disposable.create(() => {
      this.readable.off('data', onData).off('error', onError).off('end', onEnd).off('close', onClose);
    });
  }

  private onData(chunk: Buffer, callback: DataCallback): void {
    if (this.broken) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    for (;;) {
      if (this.bodyLength === undefined) {
        if (this.pendingBytes === 0) return;
        const header = readHeader(this.joined(), this.limits);
        if (header.kind === 'incomplete') return;
        if (header.kind === 'malformed') return this.breakOff(header.reason);
        this.take(header.headerBytes);
        this.bodyLength = header.contentLength;
      }
      if (this.pendingBytes < this.bodyLength) return;
      const body = this.take(this.bodyLength);
      this.bodyLength = undefined;
      const message = this.decode(body);
      if (message !== undefined) callback(message);
    }
  }

  /** The body as a message, or undefined after reporting why it is not one. */
  private decode(body: Buffer): Message | undefined {
    let text: string;
    try {
      text = UTF8.decode(body);
    } catch {
      this.fireError(new MessageBodyError('the body is not UTF-8'));
      return undefined;
    }
    try {
      // Its shape is the receiver's to check (message-gate.ts): any JSON value can arrive here.
      return JSON.parse(text);
    } catch (error) {
      this.fireError(new MessageBodyError(`the body is not JSON: ${error instanceof Error ? error.message : String(error)}`));
      return undefined;
    }
  }

  private breakOff(reason: string): void {
    this.broken = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.fireError(new FramingError(reason));
  }

  /** The pending bytes as one buffer (a header is read from contiguous bytes). */
  private joined(): Buffer {
    if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
    return this.pending[0];
  }

  /** The first `count` pending bytes, removed; copied only when they span chunks. */
  private take(count: number): Buffer {
    const parts: Buffer[] = [];
    let needed = count;
    while (needed > 0) {
      const first = this.pending[0];
      if (first.length <= needed) {
        parts.push(first);
        this.pending.shift();
        needed -= first.length;
      } else {
        parts.push(first.subarray(0, needed));
        this.pending[0] = first.subarray(needed);
        needed = 0;
      }
    }
    this.pendingBytes -= count;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, count);
  }
}
