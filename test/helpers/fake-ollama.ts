// A fake Ollama server (native API, wire-formats §4) on 127.0.0.1, with scriptable faults.
import type { ServerResponse } from 'node:http';
import { FakeServer, type RecordedRequest } from './fake-server';

export type OllamaReply =
  /** `endDelayMs`: when the streamed body ends after the done line (default at once; `'never'` holds it open). */
  | { kind: 'answer'; text: string; doneReason?: string; promptEvalCount?: number; evalCount?: number; endDelayMs?: number | 'never' }
  | { kind: 'error'; status: number; body: string }
  | { kind: 'stream-error'; afterLines: number; error: string }
  | { kind: 'stream-cut'; afterLines: number; midLine?: boolean };

const DEFAULT_ANSWER: Extract<OllamaReply, { kind: 'answer' }> = { kind: 'answer', text: 'Seven is prime.', promptEvalCount: 26, evalCount: 3 };

function line(model: string, content: string, extra: Record<string, unknown> = { done: false }): string {
  return `${JSON.stringify({ model, created_at: '2026-11-02T10:15:30.101Z', message: { role: 'assistant', content }, ...extra })}\n`;
}

/** Like Ollama, the prompt count never exceeds the window: a longer prompt was cut to fit (§4.6). */
function finalFields(reply: Extract<OllamaReply, { kind: 'answer' }>, numCtx: number | undefined): Record<string, unknown> {
  const promptEvalCount = reply.promptEvalCount === undefined || numCtx === undefined ? reply.promptEvalCount : Math.min(reply.promptEvalCount, numCtx);
  return {
    done: true,
    done_reason: reply.doneReason ?? 'stop',
    total_duration: 734112000,
    load_duration: 4120000,
    ...(promptEvalCount === undefined ? {} : { prompt_eval_count: promptEvalCount, prompt_eval_duration: 61000000 }),
    eval_count: reply.evalCount ?? 0,
    eval_duration: 18000000,
  };
}

function streamLines(model: string, reply: Extract<OllamaReply, { kind: 'answer' }>, numCtx: number | undefined): string[] {
  const words = reply.text.match(/\S+\s*/g) ?? [];
  return [...words.map((word) => line(model, word)), line(model, '', finalFields(reply, numCtx))];
}

export class FakeOllama extends FakeServer<OllamaReply> {
  private constructor() {
    super(DEFAULT_ANSWER);
  }

  static async start(): Promise<FakeOllama> {
    const fake = new FakeOllama();
    await fake.listen();
    return fake;
  }

  protected override handleFixed(request: RecordedRequest, response: ServerResponse): boolean {
    if (request.url !== '/api/tags') return false;
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ models: [{ name: 'llama3.2:latest', model: 'llama3.2:latest', size: 2019393189 }] }));
    return true;
  }

  protected respond(reply: OllamaReply, request: RecordedRequest, response: ServerResponse): void {
    const model = String(request.body?.model ?? '');
    const numCtx = (request.body?.options as { num_ctx?: number } | undefined)?.num_ctx;
    // Ollama streams unless told not to.
    const streaming = request.body?.stream !== false;
    if (reply.kind === 'error') {
      const plain = !reply.body.startsWith('{');
      response.writeHead(reply.status, { 'content-type': plain ? 'text/plain' : 'application/json; charset=utf-8' }).end(reply.body);
      return;
    }
    if (reply.kind === 'answer' && !streaming) {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(line(model, reply.text, finalFields(reply, numCtx)).trimEnd());
      return;
    }
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const lines = streamLines(model, reply.kind === 'answer' ? reply : { ...DEFAULT_ANSWER, text: 'one two three four five' }, numCtx);
    if (reply.kind === 'answer') {
      for (const text of lines) response.write(text);
      this.endBody(response, reply.endDelayMs);
      return;
    }
    for (const text of lines.slice(0, reply.afterLines)) response.write(text);
    if (reply.kind === 'stream-error') response.end(`${JSON.stringify({ error: reply.error })}\n`);
    else response.end(reply.midLine ? lines[reply.afterLines].slice(0, 15) : '');
  }
}
