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
    const recorded: RecordedRequest = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined, raw };
    this.requests.push(recorded);
    if (this.handleFixed(recorded, response)) return;
    this.open.add(response);
    response.on('close', () => this.open.delete(response));
    this.respond(this.script.shift() ?? this.responder?.(recorded) ?? this.defaultReply, recorded, response);
  }
}
