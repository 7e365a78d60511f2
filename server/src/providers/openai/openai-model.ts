// An OpenAI (or OpenAI-compatible) chat model: requests, streams and model lists over HTTP.
// The base URL is used exactly as written (it normally ends in /v1).
import { authorizationHeader } from '../auth-headers';
import { answerError, endpointFor, JSON_CONTENT, malformedAnswer, parseJsonBody, readText, responseError, send, type Endpoint, type ProviderSettings } from '../http';
import type { CallOptions, GenerateResult, LanguageModel, StreamEvent } from '../language-model';
import { eventJson, sseBatches, truncatedStream } from '../streamed-events';
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
    for await (const events of sseBatches(this.endpoint, response, options.signal)) {
      // A chunk's events are read in one go and its text passed on as one delta.
      let text = '';
      for (const event of events) {
        if (event.data === '[DONE]') {
          if (text !== '') yield { type: 'text-delta', text };
          yield { type: 'end', finishReason: mapFinishReason(rawFinishReason), rawFinishReason, usage };
          return;
        }
        const content = parseStreamChunk(eventJson(this.endpoint, event));
        if (content.error) {
          throw answerError(this.endpoint, { status: streamErrorStatus(content.error), headers: {}, body: JSON.stringify({ error: content.error }) }, response.status);
        }
        if (content.text !== undefined) text += content.text;
        if (content.rawFinishReason !== undefined) rawFinishReason = content.rawFinishReason;
        if (content.usage) usage = content.usage;
      }
      if (text !== '') yield { type: 'text-delta', text };
    }
    throw truncatedStream(this.endpoint, 'the stream ended without [DONE]');
  }
}
