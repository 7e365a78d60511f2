// A fake Anthropic Messages server (wire-formats §2) on 127.0.0.1, with scriptable faults.
// Every stream event carries both `event:` and `data:` lines, as the real service sends them. With
// `cachePrompts`, it caches prompt prefixes at `cache_control` breakpoints as the API does
// (anthropic-prompt-cache.ts) and reports the reads and writes in its usage.
import type { ServerResponse } from 'node:http';
import { AnthropicPromptCache } from './anthropic-prompt-cache';
import { FakeServer, type RecordedRequest } from './fake-server';

export type AnthropicReply =
  /** `endDelayMs`: when the streamed body ends after `message_stop` (default at once; `'never'` holds it open). `corrected`: input-side counts `message_delta` repeats with new values, as the API may (§2.4). */
  | { kind: 'answer'; text: string; stopReason?: string; input?: number; cacheRead?: number; cacheWrite?: number; output?: number; endDelayMs?: number | 'never'; corrected?: { input: number; cacheRead: number; cacheWrite: number } }
  | { kind: 'error'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'stream-error'; afterEvents: number; errorType: string; message: string }
  | { kind: 'stream-cut'; afterEvents: number };

const DEFAULT_ANSWER: Extract<AnthropicReply, { kind: 'answer' }> = { kind: 'answer', text: 'Seven is prime.', input: 14, output: 5 };
const MODEL = 'claude-sonnet-4-5-20250929';

function sse(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function events(reply: Extract<AnthropicReply, { kind: 'answer' }>): string[] {
  const usage = { input_tokens: reply.input ?? 0, cache_creation_input_tokens: reply.cacheWrite ?? 0, cache_read_input_tokens: reply.cacheRead ?? 0, output_tokens: 1 };
  const words = reply.text.match(/\S+\s*/g) ?? [];
  return [
    sse('message_start', { message: { id: 'msg_01XyZ', type: 'message', role: 'assistant', model: MODEL, content: [], stop_reason: null, stop_sequence: null, usage } }),
    sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    sse('ping', {}),
    ...words.map((word) => sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: word } })),
    sse('content_block_stop', { index: 0 }),
    sse('message_delta', { delta: { stop_reason: reply.stopReason ?? 'end_turn', stop_sequence: null }, usage: { ...(reply.corrected ? { input_tokens: reply.corrected.input, cache_creation_input_tokens: reply.corrected.cacheWrite, cache_read_input_tokens: reply.corrected.cacheRead } : {}), output_tokens: reply.output ?? 0 } }),
    sse('message_stop', {}),
  ];
}

export class FakeAnthropic extends FakeServer<AnthropicReply> {
  private constructor() {
    super(DEFAULT_ANSWER);
  }

  static async start(): Promise<FakeAnthropic> {
    const fake = new FakeAnthropic();
    await fake.listen();
    return fake;
  }

  private cache: AnthropicPromptCache | undefined;
  private beginDelayMs = 0;

  /**
   * From now on, answers carry the cache's usage for their request (replacing the reply's counts):
   * `minimumTokens`, the model's shortest cacheable prefix; `beginDelayMs`, how long it reads a prompt
   * before it begins to answer, during which a prefix it is writing cannot be read yet.
   */
  cachePrompts(options: { minimumTokens?: number; beginDelayMs?: number } = {}): this {
    this.cache = new AnthropicPromptCache(options.minimumTokens);
    this.beginDelayMs = options.beginDelayMs ?? 0;
    return this;
  }

  /** Two pages of models, as `GET /v1/models` pages them (§2.5). */
  protected override handleFixed(request: RecordedRequest, response: ServerResponse): boolean {
    if (!request.url.startsWith('/v1/models')) return false;
    const second = request.url.includes('after_id=claude-sonnet-4-5-20250929');
    const page = second
      ? { data: [{ type: 'model', id: 'claude-haiku-4-5', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' }], has_more: false, first_id: 'claude-haiku-4-5', last_id: 'claude-haiku-4-5' }
      : { data: [{ type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }], has_more: true, first_id: 'claude-sonnet-4-5-20250929', last_id: 'claude-sonnet-4-5-20250929' };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
    return true;
  }

  protected respond(reply: AnthropicReply, request: RecordedRequest, response: ServerResponse): void {
    if (reply.kind === 'answer' && this.cache && request.body) {
      const planned = this.cache.plan(request.body);
      if ('error' in planned) {
        this.answer({ kind: 'error', status: 400, body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: planned.error }, request_id: 'req_011CAbc' }) }, request, response);
        return;
      }
      const { usage, commit } = planned;
      setTimeout(() => {
        commit();
        this.answer({ ...reply, input: usage.input, cacheRead: usage.cacheRead, cacheWrite: usage.cacheWrite }, request, response);
      }, this.beginDelayMs);
      return;
    }
    this.answer(reply, request, response);
  }

  private answer(reply: AnthropicReply, request: RecordedRequest, response: ServerResponse): void {
    if (reply.kind === 'error') {
      response.writeHead(reply.status, { 'content-type': /^\s*</.test(reply.body) ? 'text/html' : 'application/json', 'request-id': 'req_011CAbc', ...reply.headers }).end(reply.body);
      return;
    }
    if (reply.kind === 'answer' && request.body?.stream !== true) {
      const usage = { input_tokens: reply.input ?? 0, cache_creation_input_tokens: reply.cacheWrite ?? 0, cache_read_input_tokens: reply.cacheRead ?? 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: reply.output ?? 0, service_tier: 'standard' };
      const body = { id: 'msg_01XyZ', type: 'message', role: 'assistant', model: MODEL, content: [{ type: 'thinking', thinking: 'hmm', signature: 'sig' }, { type: 'text', text: reply.text }], stop_reason: reply.stopReason ?? 'end_turn', stop_sequence: null, stop_details: null, usage };
      response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_011CAbc' }).end(JSON.stringify(body));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    const all = events(reply.kind === 'answer' ? reply : { ...DEFAULT_ANSWER, text: 'one two three four' });
    if (reply.kind === 'answer') {
      for (const event of all) response.write(event);
      this.endBody(response, reply.endDelayMs);
      return;
    }
    for (const event of all.slice(0, reply.afterEvents)) response.write(event);
    if (reply.kind === 'stream-error') response.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: reply.errorType, message: reply.message } })}\n\n`);
    else response.end();
  }
}
