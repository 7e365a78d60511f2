// Drives a spawned `et serve --stdio` at the byte level: Content-Length framing written by hand, so
// tests can also send what a well-behaved client never would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunEvent, RunEventParams } from '../../server/src/protocol';
import { TEST_HOME } from './run-cli';

export const SERVER_BUNDLE = path.join(__dirname, '..', '..', 'server', 'out', 'cli.js');

export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export class LspProcess {
  readonly messages: JsonRpcMessage[] = [];
  stderr = '';
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly serverRequestHandlers = new Map<string, (params: unknown) => unknown>();
  private waiters: { predicate: (message: JsonRpcMessage) => boolean; resolve: (message: JsonRpcMessage) => void }[] = [];
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  /** `nodeOptions` go before the bundle, e.g. `--cpu-prof` to profile the server. */
  static start(env: Record<string, string | undefined> = {}, nodeOptions: string[] = []): LspProcess {
    if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` first`);
    return new LspProcess(spawn(process.execPath, [...nodeOptions, SERVER_BUNDLE, 'serve', '--stdio'], { env: { PATH: process.env.PATH, HOME: TEST_HOME, ...env } }));
  }

  /** Any `et` (a standalone build, a launcher): `command… serve --stdio`, with exactly `env`. */
  static command(command: readonly string[], env: NodeJS.ProcessEnv): LspProcess {
    return new LspProcess(spawn(command[0], [...command.slice(1), 'serve', '--stdio'], { env }));
  }

  sendRaw(body: string): void {
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  notify(method: string, params: unknown): void {
    this.sendRaw(JSON.stringify({ jsonrpc: '2.0', method, params }));
  }

  async request<T = unknown>(method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
    const reply = await this.reply(method, params, timeoutMs);
    if (reply.error) throw new Error(`${method} failed: ${reply.error.message}`);
    return reply.result as T;
  }

  /** The whole response to a request, error code and data included. */
  reply(method: string, params: unknown, timeoutMs = 10_000): Promise<JsonRpcMessage> {
    const id = this.nextId++;
    this.sendRaw(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return this.waitFor((message) => message.id === id && message.method === undefined, timeoutMs);
  }

  /** The first message (already received or still to come) that matches. */
  /** The `electrictown/runEvent` batches a run's events came in, in order. */
  runEventBatches(runId: string): RunEvent[][] {
    return this.messages.filter((message) => isRunEventOf(message, runId)).map((message) => (message.params as RunEventParams).events);
  }

  /** A run's events, in order. */
  runEvents(runId: string): RunEvent[] {
    return this.runEventBatches(runId).flat();
  }

  /** Resolves at the batch holding the run's `run-end`. */
  runEnd(runId: string, timeoutMs = 20_000): Promise<JsonRpcMessage> {
    return this.waitFor((message) => isRunEventOf(message, runId) && (message.params as RunEventParams).events.some((event) => event.kind === 'run-end'), timeoutMs);
  }

  waitFor(predicate: (message: JsonRpcMessage) => boolean, timeoutMs = 10_000): Promise<JsonRpcMessage> {
    const found = this.messages.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((message) => message.method ?? message.id))}; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  /** Answers the server's requests of `method` (unanswered ones get a null result). */
  onServerRequest(method: string, handler: (params: unknown) => unknown): this {
    this.serverRequestHandlers.set(method, handler);
    return this;
  }

  async initialize(options: { rootUri?: string | null; capabilities?: Record<string, unknown>; initializationOptions?: unknown } = {}): Promise<{ capabilities: Record<string, unknown>; serverInfo?: { name: string; version: string } }> {
    const result = await this.request<{ capabilities: Record<string, unknown> }>('initialize', { processId: process.pid, rootUri: options.rootUri ?? null, capabilities: options.capabilities ?? {}, initializationOptions: options.initializationOptions });
    this.notify('initialized', {});
    return result;
  }

  async shutdown(): Promise<number | null> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    return this.exited;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString();
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      const message = JSON.parse(body) as JsonRpcMessage;
      this.messages.push(message);
      if (message.method !== undefined && message.id !== undefined) {
        const result = this.serverRequestHandlers.get(message.method)?.(message.params) ?? null;
        this.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
      }
      for (const waiter of [...this.waiters]) {
        if (waiter.predicate(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    }
  }
}

function isRunEventOf(message: JsonRpcMessage, runId: string): boolean {
  return message.method === 'electrictown/runEvent' && (message.params as RunEventParams).runId === runId;
}
