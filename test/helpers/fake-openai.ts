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
  | { kind: 'stall'; afterChunks: number }
  /** A 200 chat.completion whose `choices` is empty. */
  | { kind: 'empty-choices' }
  /** A 200 whose body is an error object instead of choices, as OpenRouter answers some upstream failures. */
  | { kind: 'error-in-200'; error: Record<string, unknown> };

/**
 * What OpenAI-compatible servers (vLLM, LM Studio, OpenRouter, Groq, Ollama's /v1) do differently
 * from OpenAI, one switch each, so a test can combine them. Off, the fake is OpenAI itself.
 */
export interface CompatibleQuirks {
  /**
   * How usage comes: `documented` (OpenAI: a final `choices: []` chunk, only with include_usage),
   * `final-chunk` (on the finish_reason chunk, whatever was asked), `x_groq` (inside `x_groq` on the
   * finish chunk), or `none` (never, streamed or not).
   */
  usage?: 'documented' | 'final-chunk' | 'x_groq' | 'none';
  /** Usage with only prompt, completion and total counts, no details objects (Ollama's /v1, vLLM). */
  plainUsage?: boolean;
  /** `data:{…}` with no space after the colon. */
  noSpaceAfterData?: boolean;
  /** `: OPENROUTER PROCESSING` comment lines before and between events. */
  keepAliveComments?: boolean;
  /** A first chunk with `choices: []` and no usage (OpenRouter's, Azure's prompt_filter_results). */
  emptyChoicesChunk?: boolean;
  /** Every delta repeats `"role":"assistant"` (Ollama's /v1). */
  roleInEveryDelta?: boolean;
  /** Fields of the server's own on every chunk and answer (`provider`, `system_fingerprint: fp_ollama`…). */
  extraFields?: Record<string, unknown>;
}

const ID = 'chatcmpl-AbC123';
const MODEL = 'gpt-4.1-mini-2025-04-14';

function usageJson(usage: NonNullable<Extract<OpenAiReply, { kind: 'answer' }>['usage']>, quirks: CompatibleQuirks = {}) {
  if (quirks.plainUsage) return { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion };
  return {
    prompt_tokens: usage.prompt,
    completion_tokens: usage.completion,
    total_tokens: usage.prompt + usage.completion,
    prompt_tokens_details: { cached_tokens: usage.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function chunk(choices: unknown[], usage: unknown = null, quirks: CompatibleQuirks = {}, extra: Record<string, unknown> = {}): string {
  const obfuscation = 'x'.repeat(1 + Math.floor(Math.random() * 6));
  const data = JSON.stringify({ id: ID, object: 'chat.completion.chunk', created: 1763700000, model: MODEL, service_tier: 'default', system_fingerprint: 'fp_0a1b2c3d4e', choices, usage, obfuscation, ...quirks.extraFields, ...extra });
  return `${quirks.keepAliveComments ? ': OPENROUTER PROCESSING\n\n' : ''}data:${quirks.noSpaceAfterData ? '' : ' '}${data}\n\n`;
}

/** The events of a streamed answer, in the documented order (§1.4), with a compatible server's quirks. */
function streamEvents(reply: Extract<OpenAiReply, { kind: 'answer' }>, includeUsage: boolean, quirks: CompatibleQuirks = {}): string[] {
  const words = reply.text.match(/\S+\s*/g) ?? [];
  const usageMode = quirks.usage ?? 'documented';
  const role = quirks.roleInEveryDelta ? { role: 'assistant' } : {};
  const events = quirks.emptyChoicesChunk ? [chunk([], null, quirks)] : [];
  events.push(chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], null, quirks));
  for (const word of words) events.push(chunk([{ index: 0, delta: { ...role, content: word }, logprobs: null, finish_reason: null }], null, quirks));
  const finish = [{ index: 0, delta: { ...role }, logprobs: null, finish_reason: reply.finishReason ?? 'stop' }];
  const usage = reply.usage ? usageJson(reply.usage, quirks) : null;
  if (usageMode === 'final-chunk') events.push(chunk(finish, usage, quirks));
  else if (usageMode === 'x_groq') events.push(chunk(finish, null, quirks, { x_groq: { id: 'req_01abc', usage } }));
  else events.push(chunk(finish, null, quirks));
  if (usageMode === 'documented' && includeUsage && usage) events.push(chunk([], usage, quirks));
  events.push(`data:${quirks.noSpaceAfterData ? '' : ' '}[DONE]\n\n`);
  return events;
}

const DEFAULT_ANSWER: Extract<OpenAiReply, { kind: 'answer' }> = { kind: 'answer', text: 'The answer is 7.', usage: { prompt: 21, completion: 5 } };

export class FakeOpenAi extends FakeServer<OpenAiReply> {
  private constructor(private readonly quirks: CompatibleQuirks) {
    super(DEFAULT_ANSWER);
  }

  /** OpenAI itself, or with `quirks` an OpenAI-compatible server. */
  static async start(quirks: CompatibleQuirks = {}): Promise<FakeOpenAi> {
    const fake = new FakeOpenAi(quirks);
    await fake.listen();
    return fake;
  }

  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  /** When set, `GET /v1/models` answers with this error (status and OpenAI's error body, §1.6) instead of the list. */
  modelsError: { status: number; body: string } | undefined;

  protected override handleFixed(request: RecordedRequest, response: ServerResponse): boolean {
    if (request.url !== '/v1/models') return false;
    if (this.modelsError) {
      response.writeHead(this.modelsError.status, { 'content-type': 'application/json' }).end(this.modelsError.body);
      return true;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4.1-mini', object: 'model', created: 1744318173, owned_by: 'system' }] }, null, 2));
    return true;
  }

  protected respond(reply: OpenAiReply, request: RecordedRequest, response: ServerResponse): void {
    const streaming = request.body?.stream === true;
    const includeUsage = (request.body?.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const { quirks } = this;
    switch (reply.kind) {
      case 'empty-choices':
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: ID, object: 'chat.completion', created: 1763700000, model: MODEL, choices: [], ...quirks.extraFields }));
        return;
      case 'error-in-200':
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error: reply.error }));
        return;
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
          const usage = quirks.usage === 'none' ? {} : { usage: usageJson(reply.usage ?? { prompt: 0, completion: 0 }, quirks) };
          const answer = { id: ID, object: 'chat.completion', created: 1763700000, model: MODEL, choices: [{ index: 0, logprobs: null, finish_reason: reply.finishReason ?? 'stop', message: { role: 'assistant', content: reply.text, refusal: null, annotations: [] } }], ...usage, service_tier: 'default', system_fingerprint: 'fp_0a1b2c3d4e', ...quirks.extraFields };
          response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_fake' }).end(JSON.stringify(answer, null, 2));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
        for (const event of streamEvents(reply, includeUsage, quirks)) response.write(event);
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
