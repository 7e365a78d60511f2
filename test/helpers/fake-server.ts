// The part every fake provider server shares: a loopback HTTP server, a script of replies taken one
// per request, a record of what was asked, and a clean stop even with hanging responses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | undefined;
  /** The body as it came, byte for byte (decoded as UTF-8 once it is whole). */
  raw: string;
  /** When it arrived (performance.now()). */
  at: number;
}

export abstract class FakeServer<Reply> {
  readonly requests: RecordedRequest[] = [];
  private readonly script: Reply[] = [];
  private readonly server: Server;
  private readonly open = new Set<ServerResponse>();
  /** TCP connections accepted so far: a client that reuses its connections opens few. */
  connections = 0;

  protected constructor(private readonly defaultReply: Reply) {
    this.server = createServer((request, response) => void this.receive(request, response));
    this.server.on('connection', () => this.connections++);
  }

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private responder: ((request: RecordedRequest) => Reply | undefined) | undefined;

  /** Requests being answered now (a request refused over the concurrency cap is not one). */
  inFlight = 0;
  /** The most answered at once so far. */
  peakInFlight = 0;
  /** Requests refused over the concurrency cap. */
  refused = 0;
  private concurrency: { limit: number; overLimit: (request: RecordedRequest) => Reply } | undefined;
  private answerDelayMs = 0;

  /**
   * Answers at most `limit` requests at once, as a provider's concurrency limit does; one more while
   * `limit` are being answered gets `overLimit` at once (the provider's own 429).
   */
  limitConcurrency(limit: number, overLimit: Reply | ((request: RecordedRequest) => Reply)): this {
    this.concurrency = { limit, overLimit: typeof overLimit === 'function' ? (overLimit as (request: RecordedRequest) => Reply) : () => overLimit };
    return this;
  }

  /** Every answered request waits this long before its reply starts: a model takes time to answer. */
  answerAfter(milliseconds: number): this {
    this.answerDelayMs = milliseconds;
    return this;
  }

  /** Replies for the next requests, in order; when the script is empty, the responder's or the default reply. */
  reply(...replies: Reply[]): this {
    this.script.push(...replies);
    return this;
  }

  /** Decides each reply from the request itself: parallel callers arrive in any order. */
  respondWith(responder: (request: RecordedRequest) => Reply | undefined): this {
    this.responder = responder;
    return this;
  }

  async stop(): Promise<void> {
    for (const response of this.open) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /**
   * Ends a streamed body after its final event: at once, `delayMs` later (as servers whose last chunk
   * trails the terminal event do), or never (`'never'`, a body held open).
   */
  protected endBody(response: ServerResponse, delayMs: number | 'never' | undefined): void {
    if (delayMs === 'never') return;
    if (delayMs === undefined) response.end();
    else setTimeout(() => response.end(), delayMs);
  }

  /** Answers one request in the provider's wire format. */
  protected abstract respond(reply: Reply, request: RecordedRequest, response: ServerResponse): void;

  /** Requests that do not consume a scripted reply (model lists); return true when handled. */
  protected handleFixed(_request: RecordedRequest, _response: ServerResponse): boolean {
    return false;
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const raw = Buffer.concat(parts).toString('utf8');
    const recorded: RecordedRequest = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined, raw, at: performance.now() };
    this.requests.push(recorded);
    if (this.handleFixed(recorded, response)) return;
    this.open.add(response);
    response.on('close', () => this.open.delete(response));
    if (this.concurrency && this.inFlight >= this.concurrency.limit) {
      this.refused++;
      this.respond(this.concurrency.overLimit(recorded), recorded, response);
      return;
    }
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    response.on('close', () => this.inFlight--);
    if (this.answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.answerDelayMs));
    if (response.destroyed) return;
    this.respond(this.script.shift() ?? this.responder?.(recorded) ?? this.defaultReply, recorded, response);
  }
}
