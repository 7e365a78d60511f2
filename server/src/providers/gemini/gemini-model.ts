// A Gemini model: generateContent / streamGenerateContent?alt=sse (CRLF-framed). The key goes in the
// `x-goog-api-key` header, never in the URL, so it cannot leak through logged URLs.
import { answerError, endpointFor, JSON_CONTENT, malformedAnswer, parseJsonBody, readText, responseError, send, type Endpoint, type ProviderSettings, withRequest } from '../http';
import type { CallOptions, GenerateResult, LanguageModel, StreamEvent, Usage } from '../language-model';
import { eventJson, sseBatches, truncatedStream } from '../streamed-events';
import { UNKNOWN_USAGE } from '../usage';
import { buildGenerateRequest, geminiBase, mapFinishReason, parseChunk, parseGenerateResponse } from './gemini-api';

export type GeminiSettings = ProviderSettings;

/** The key in `x-goog-api-key`, never in the URL. */
export function geminiHeaders(settings: ProviderSettings): Record<string, string> {
  const sendKey = settings.apiKey !== undefined && settings.apiKey !== '' && settings.authType !== 'none';
  return { ...settings.headers, ...(sendKey && settings.apiKey ? { 'x-goog-api-key': settings.apiKey } : {}) };
}

/** An in-stream `error` object's HTTP status, from its own `code`. */
function embeddedStatus(error: unknown): number {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : 500;
}

export class GeminiModel implements LanguageModel {
  readonly providerType = 'gemini' as const;
  readonly provider: string;
  private readonly endpoint: Endpoint;
  private readonly modelUrl: string;
  private readonly postHeaders: Record<string, string>;

  constructor(settings: GeminiSettings, readonly modelId: string) {
    this.provider = settings.provider;
    this.endpoint = endpointFor(settings.provider, 'gemini', settings.apiKey, settings.headers, settings.timeouts);
    this.modelUrl = `${geminiBase(settings.baseUrl)}/models/${encodeURIComponent(modelId)}`;
    this.postHeaders = { ...JSON_CONTENT, ...geminiHeaders(settings) };
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const requestBody = buildGenerateRequest(options);
    try {
      const response = await send(this.endpoint, 'POST', `${this.modelUrl}:generateContent`, this.postHeaders, requestBody, options.signal);
      if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
      const result = parseGenerateResponse(parseJsonBody(this.endpoint, await readText(this.endpoint, response, options.signal), response.status));
      if (!result) throw malformedAnswer(this.endpoint, 'no candidates', response.status);
      return result;
    } catch (error) {
      throw withRequest(error, `${this.modelUrl}:generateContent`, requestBody);
    }
  }

  async *stream(options: CallOptions): AsyncGenerator<StreamEvent> {
    const requestBody = buildGenerateRequest(options);
    try {
      const response = await send(this.endpoint, 'POST', `${this.modelUrl}:streamGenerateContent?alt=sse`, this.postHeaders, requestBody, options.signal);
      if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
      let rawFinishReason: string | undefined;
      let usage: Usage = UNKNOWN_USAGE;
      for await (const events of sseBatches(this.endpoint, response, options.signal)) {
        // A chunk's events are read in one go and its text passed on as one delta.
        let text = '';
        for (const event of events) {
          const chunk = parseChunk(eventJson(this.endpoint, event));
          if (chunk.error) throw answerError(this.endpoint, { status: embeddedStatus(chunk.error), headers: {}, body: JSON.stringify({ error: chunk.error }) }, 200);
          text += chunk.text;
          // Usage is cumulative on every chunk: keep the last.
          if (chunk.usage) usage = chunk.usage;
          if (chunk.blockReason) rawFinishReason = chunk.blockReason;
          if (chunk.rawFinishReason) rawFinishReason = chunk.rawFinishReason;
        }
        if (text !== '') yield { type: 'text-delta', text };
      }
      // No terminal event: the stream is complete only if a finish reason arrived before EOF.
      if (rawFinishReason === undefined) throw truncatedStream(this.endpoint, 'the stream ended without a finishReason');
      yield { type: 'end', finishReason: mapFinishReason(rawFinishReason), rawFinishReason, usage };
    } catch (error) {
      throw withRequest(error, `${this.modelUrl}:streamGenerateContent?alt=sse`, requestBody);
    }
  }
}
