// A fake Gemini API (wire-formats §3) on 127.0.0.1: CRLF-framed SSE, cumulative usage, no terminal event.
import type { ServerResponse } from 'node:http';
import { FakeServer, type RecordedRequest } from './fake-server';

export type GeminiReply =
  /** `cached`: of the prompt, tokens Gemini's implicit cache served (`cachedContentTokenCount`, sent only when non-zero). */
  | { kind: 'answer'; text: string; finishReason?: string; prompt?: number; candidates?: number; thoughts?: number; cached?: number }
  | { kind: 'blocked'; blockReason: string }
  | { kind: 'error'; status: number; body: string }
  | { kind: 'stream-error'; afterChunks: number; error: Record<string, unknown> }
  | { kind: 'stream-cut'; afterChunks: number };

const DEFAULT_ANSWER: Extract<GeminiReply, { kind: 'answer' }> = { kind: 'answer', text: 'Seven is prime.', prompt: 9, candidates: 4 };

function usage(prompt: number, candidates: number, thoughts = 0, cached = 0): Record<string, unknown> {
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + thoughts,
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
    ...(cached ? { cachedContentTokenCount: cached, cacheTokensDetails: [{ modality: 'TEXT', tokenCount: cached }] } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
  };
}

function chunks(reply: Extract<GeminiReply, { kind: 'answer' }>): Record<string, unknown>[] {
  const words = reply.text.match(/\S+\s*/g) ?? [''];
  return words.map((word, index) => {
    const last = index === words.length - 1;
    return {
      candidates: [{ content: { parts: [{ text: word }], role: 'model' }, ...(last ? { finishReason: reply.finishReason ?? 'STOP' } : {}), index: 0 }],
      usageMetadata: usage(reply.prompt ?? 0, last ? (reply.candidates ?? 0) : index + 1, last ? reply.thoughts : 0, reply.cached),
      modelVersion: 'gemini-2.5-flash',
      responseId: 'mQ2xYabc',
    };
  });
}

export class FakeGemini extends FakeServer<GeminiReply> {
  private constructor() {
    super(DEFAULT_ANSWER);
  }

  static async start(): Promise<FakeGemini> {
    const fake = new FakeGemini();
    await fake.listen();
    return fake;
  }

  /** Two pages of models, one of them an embedding model that cannot answer prompts (§3.7). */
  protected override handleFixed(request: RecordedRequest, response: ServerResponse): boolean {
    if (!/^\/v1beta\/models(\?|$)/.test(request.url)) return false;
    const second = request.url.includes('pageToken=Cg5tb2RlbHMvZ2VtaW5p');
    const page = second
      ? { models: [{ name: 'models/text-embedding-004', supportedGenerationMethods: ['embedContent'] }] }
      : { models: [{ name: 'models/gemini-2.5-flash', inputTokenLimit: 1048576, supportedGenerationMethods: ['generateContent', 'countTokens'] }], nextPageToken: 'Cg5tb2RlbHMvZ2VtaW5p' };
    response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(page, null, 2));
    return true;
  }

  protected respond(reply: GeminiReply, request: RecordedRequest, response: ServerResponse): void {
    const streaming = request.url.includes(':streamGenerateContent');
    if (reply.kind === 'error') {
      response.writeHead(reply.status, { 'content-type': /^\s*</.test(reply.body) ? 'text/html; charset=UTF-8' : 'application/json; charset=UTF-8' }).end(reply.body);
      return;
    }
    const all = reply.kind === 'blocked' ? [{ promptFeedback: { blockReason: reply.blockReason }, usageMetadata: usage(9, 0) }] : chunks(reply.kind === 'answer' ? reply : { ...DEFAULT_ANSWER, text: 'one two three four' });
    if (!streaming) {
      const merged = reply.kind === 'answer' ? { ...all[all.length - 1], candidates: [{ content: { parts: [{ text: reply.text }], role: 'model' }, finishReason: reply.finishReason ?? 'STOP', index: 0 }] } : all[0];
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(merged, null, 2));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const limit = reply.kind === 'stream-error' || reply.kind === 'stream-cut' ? reply.afterChunks : all.length;
    for (const chunk of all.slice(0, limit)) response.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    if (reply.kind === 'stream-error') response.write(`data: ${JSON.stringify({ error: reply.error })}\r\n\r\n`);
    response.end();
  }
}
