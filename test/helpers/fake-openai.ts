// A fake OpenAI Chat Completions server on 127.0.0.1 that speaks the real wire format
// (../shared/wire-formats.md §1), with scriptable faults. Each request takes the next scripted reply.
import type { ServerResponse } from 'node:http';
import { FakeServer, type RecordedRequest } from './fake-server';

export type OpenAiReply =
  /** `endDelayMs`: when the streamed body ends after `[DONE]` (default at once; `'never'` holds it open). */
  | { kind: 'answer'; text: string; finishReason?: string; usage?: { prompt: number; completion: number; cached?: number; reasoning?: number }; endDelayMs?: number | 'never' }
  | { kind: 'error'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'stream-cut'; afterChunks: number; midEvent?: boolean }
  | { kind: 'stream-error'; afterChunks: number; error: Record<string, unknown> }
  | { kind: 'hang' }
  /** The connection reset (TCP RST): before any answer with afterChunks 0, else mid-stream. */
  | { kind: 'reset'; afterChunks: number }
  | { kind: 'stall'; afterChunks: number };

const ID = 'chatcmpl-AbC123';
const MODEL = 'gpt-4.1-mini-2025-04-14';

function usageJson(usage: NonNullable<Extract<OpenAiReply, { kind: 'answer' }>['usage']>) {
  return {
    prompt_tokens: usage.prompt,
    completion_tokens: usage.completion,
    total_tokens: usage.prompt + usage.completion,
    prompt_tokens_details: { cached_tokens: usage.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function chunk(choices: unknown[], usage: unknown = null): string {
  const obfuscation = 'x'.repeat(1 + Math.floor(Math.random() * 6));
  return `data: ${JSON.stringify({ id: ID, object: 'chat.completion.chunk', created: 1763700000, model: MODEL, service_tier: 'default', system_fingerprint: 'fp_0a1b2c3d4e', choices, usage, obfuscation })}\n\n`;
}

/** The events of a streamed answer, in the documented order (§1.4). */
function streamEvents(reply: Extract<OpenAiReply, { kind: 'answer' }>, includeUsage: boolean): string[] {
  const words = reply.text.match(/\S+\s*/g) ?? [];
  const events = [chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }])];
  for (const word of words) events.push(chunk([{ index: 0, delta: { content: word }, logprobs: null, finish_reason: null }]));
  events.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: reply.finishReason ?? 'stop' }]));
  if (includeUsage && reply.usage) events.push(chunk([], usageJson(reply.usage)));
  events.push('data: [DONE]\n\n');
  return events;
}

const DEFAULT_ANSWER: Extract<OpenAiReply, { kind: 'answer' }> = { kind: 'answer', text: 'The answer is 7.', usage: { prompt: 21, completion: 5 } };

export class FakeOpenAi extends FakeServer<OpenAiReply> {
  private constructor() {
    super(DEFAULT_ANSWER);
  }

  static async start(): Promise<FakeOpenAi> {
    const fake = new FakeOpenAi();
    await fake.listen();
    return fake;
  }

  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  protected override handleFixed(request: RecordedRequest, response: ServerResponse): boolean {
    if (request.url !== '/v1/models') return false;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4.1-mini', object: 'model', created: 1744318173, owned_by: 'system' }] }, null, 2));
    return true;
  }

  protected respond(reply: OpenAiReply, request: RecordedRequest, response: ServerResponse): void {
    const streaming = request.body?.stream === true;
    const includeUsage = (request.body?.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    switch (reply.kind) {
      case 'hang':
        return;
      case 'reset':
        if (reply.afterChunks === 0) {
          response.socket?.resetAndDestroy();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
        for (const event of streamEvents({ ...DEFAULT_ANSWER, text: 'one two three four five six' }, includeUsage).slice(0, reply.afterChunks)) response.write(event);
        // Let the chunks leave before the reset, as a connection dropped mid-answer would.
        setTimeout(() => response.socket?.resetAndDestroy(), 20);
        return;
      case 'error':
        response.writeHead(reply.status, { 'content-type': /^\s*</.test(reply.body) ? 'text/html' : 'application/json', ...reply.headers }).end(reply.body);
        return;
      case 'answer':
        if (!streaming) {
          const answer = { id: ID, object: 'chat.completion', created: 1763700000, model: MODEL, choices: [{ index: 0, logprobs: null, finish_reason: reply.finishReason ?? 'stop', message: { role: 'assistant', content: reply.text, refusal: null, annotations: [] } }], usage: usageJson(reply.usage ?? { prompt: 0, completion: 0 }), service_tier: 'default', system_fingerprint: 'fp_0a1b2c3d4e' };
          response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_fake' }).end(JSON.stringify(answer, null, 2));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
        for (const event of streamEvents(reply, includeUsage)) response.write(event);
        this.endBody(response, reply.endDelayMs);
        return;
      default: {
        response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
        const events = streamEvents({ ...DEFAULT_ANSWER, text: 'one two three four five six' }, includeUsage);
        for (const event of events.slice(0, reply.afterChunks)) response.write(event);
        if (reply.kind === 'stream-error') {
          response.end(`data: ${JSON.stringify({ error: reply.error })}\n\n`);
        } else if (reply.kind === 'stream-cut') {
          if (reply.midEvent) response.write(events[reply.afterChunks].slice(0, 20));
          response.end();
        }
        // 'stall': keep the connection open with no more bytes.
      }
    }
  }
}
