// An OpenAI (or OpenAI-compatible) chat model: requests, streams and model lists over HTTP.
// The base URL is used exactly as written (it normally ends in /v1).
import { authorizationHeader } from '../auth-headers';
import { answerError, endpointError, endpointFor, JSON_CONTENT, malformedAnswer, parseJsonBody, readText, responseError, send, streamBody, type Endpoint, type ProviderSettings } from '../http';
import type { CallOptions, GenerateResult, LanguageModel, StreamEvent } from '../language-model';
import { SseDecoder, StreamCutError } from '../stream/sse';
import { UNKNOWN_USAGE } from '../usage';
import { buildChatRequest, mapFinishReason, parseChatResponse, parseStreamChunk } from './openai-api';

export interface OpenAiSettings extends ProviderSettings {
  org: string | undefined;
}

export function openAiHeaders(settings: OpenAiSettings): Record<string, string> {
  return { ...settings.headers, ...authorizationHeader(settings.authType, settings.apiKey), ...(settings.org ? { 'openai-organization': settings.org } : {}) };
}

/** An in-stream `error` object, classified as if it had come with the status its type implies. */
function streamErrorStatus(error: unknown): number {
  const type = (error as { type?: unknown } | undefined)?.type;
  if (type === 'server_error') return 500;
  if (type === 'rate_limit_exceeded' || type === 'tokens' || type === 'requests') return 429;
  return 400;
}

export class OpenAiModel implements LanguageModel {
  readonly providerType = 'openai' as const;
  readonly provider: string;
  private readonly endpoint: Endpoint;
  private readonly chatUrl: string;
  private readonly postHeaders: Record<string, string>;

  constructor(settings: OpenAiSettings, readonly modelId: string) {
    this.provider = settings.provider;
    this.endpoint = endpointFor(settings.provider, 'openai', settings.apiKey, settings.headers, settings.timeouts);
    this.chatUrl = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.postHeaders = { ...JSON_CONTENT, ...openAiHeaders(settings) };
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const response = await send(this.endpoint, 'POST', this.chatUrl, this.postHeaders, buildChatRequest(this.modelId, options, false), options.signal);
    if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
    const body = parseJsonBody(this.endpoint, await readText(this.endpoint, response, options.signal), response.status);
    const result = parseChatResponse(body);
    if (!result) throw malformedAnswer(this.endpoint, 'no choices', response.status);
    return result;
  }

  async *stream(options: CallOptions): AsyncGenerator<StreamEvent> {
    const response = await send(this.endpoint, 'POST', this.chatUrl, this.postHeaders, buildChatRequest(this.modelId, options, true), options.signal);
    if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
    let rawFinishReason: string | undefined;
    let usage = UNKNOWN_USAGE;
    const truncated = (message: string) => endpointError(this.endpoint, { errorClass: 'truncated_stream', action: 'retry', message }, response.status);
    const decoder = new SseDecoder();
    try {
      for await (const bytes of streamBody(this.endpoint, response, options.signal)) {
        // A chunk's events are read in one go and its text passed on as one delta.
        let text = '';
        for (const event of decoder.push(bytes)) {
          if (event.data === '[DONE]') {
            if (text !== '') yield { type: 'text-delta', text };
            yield { type: 'end', finishReason: mapFinishReason(rawFinishReason), rawFinishReason, usage };
            return;
          }
          let chunk: unknown;
          try {
            chunk = JSON.parse(event.data);
          } catch {
            throw malformedAnswer(this.endpoint, `a stream event is not JSON (${event.data.length} characters)`, response.status);
          }
          const content = parseStreamChunk(chunk);
          if (content.error) {
            throw answerError(this.endpoint, { status: streamErrorStatus(content.error), headers: {}, body: JSON.stringify({ error: content.error }) }, response.status);
          }
          if (content.text !== undefined) text += content.text;
          if (content.rawFinishReason !== undefined) rawFinishReason = content.rawFinishReason;
          if (content.usage) usage = content.usage;
        }
        if (text !== '') yield { type: 'text-delta', text };
      }
      decoder.end();
    } catch (error) {
      if (error instanceof StreamCutError) throw truncated(error.message);
      throw error;
    }
    throw truncated('the stream ended without [DONE]');
  }
}
