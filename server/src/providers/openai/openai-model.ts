// An OpenAI (or `openai-compatible`) chat model: requests and streams over HTTP. The base URL is
// used exactly as written (it normally ends in /v1).
import { authorizationHeader } from '../auth-headers';
import { answerError, endpointFor, JSON_CONTENT, malformedAnswer, parseJsonBody, readText, responseError, send, type Endpoint, type ProviderSettings, withRequest } from '../http';
import type { CallOptions, GenerateResult, LanguageModel, StreamEvent } from '../language-model';
import { eventJson, sseBatches, truncatedStream } from '../streamed-events';
import { UNKNOWN_USAGE } from '../usage';
import { bodyError, buildChatRequest, mapFinishReason, parseChatResponse, parseStreamChunk, type OpenAiDialect } from './openai-api';

export interface OpenAiSettings extends ProviderSettings {
  org: string | undefined;
}

export function openAiHeaders(settings: OpenAiSettings): Record<string, string> {
  return { ...settings.headers, ...authorizationHeader(settings.authType, settings.apiKey), ...(settings.org ? { 'openai-organization': settings.org } : {}) };
}

/**
 * An `error` object inside a 200 (stream event or body), classified as if it had come with the status
 * it implies: OpenRouter puts that status in `code`; OpenAI says it with `type`.
 */
function inBodyErrorStatus(error: unknown): number {
  const { type, code } = (error ?? {}) as { type?: unknown; code?: unknown };
  if (typeof code === 'number' && code >= 400 && code < 600) return code;
  if (type === 'server_error') return 500;
  if (type === 'rate_limit_exceeded' || type === 'tokens' || type === 'requests') return 429;
  return 400;
}

export class OpenAiModel implements LanguageModel {
  readonly provider: string;
  private readonly endpoint: Endpoint;
  private readonly chatUrl: string;
  private readonly postHeaders: Record<string, string>;

  constructor(
    settings: OpenAiSettings,
    readonly modelId: string,
    readonly providerType: OpenAiDialect = 'openai',
  ) {
    this.provider = settings.provider;
    this.endpoint = endpointFor(settings.provider, providerType, settings.apiKey, settings.headers, settings.timeouts);
    this.chatUrl = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.postHeaders = { ...JSON_CONTENT, ...openAiHeaders(settings) };
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const requestBody = buildChatRequest(this.modelId, options, false, this.providerType);
    try {
      const response = await send(this.endpoint, 'POST', this.chatUrl, this.postHeaders, requestBody, options.signal);
      if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
      const body = parseJsonBody(this.endpoint, await readText(this.endpoint, response, options.signal), response.status);
      const error = bodyError(body);
      if (error !== undefined) throw this.inBodyError(error, response.status);
      const result = parseChatResponse(body);
      if (!result) throw malformedAnswer(this.endpoint, 'the answer has no choices, so there is no text to read', response.status);
      return result;
    } catch (error) {
      throw withRequest(error, this.chatUrl, requestBody);
    }
  }

  private inBodyError(error: unknown, status: number) {
    return answerError(this.endpoint, { status: inBodyErrorStatus(error), headers: {}, body: JSON.stringify({ error }) }, status);
  }

  async *stream(options: CallOptions): AsyncGenerator<StreamEvent> {
    const requestBody = buildChatRequest(this.modelId, options, true, this.providerType);
    try {
      const response = await send(this.endpoint, 'POST', this.chatUrl, this.postHeaders, requestBody, options.signal);
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
          if (content.error !== undefined) throw this.inBodyError(content.error, response.status);
          if (content.text !== undefined) text += content.text;
          if (content.rawFinishReason !== undefined) rawFinishReason = content.rawFinishReason;
          if (content.usage) usage = content.usage;
        }
        if (text !== '') yield { type: 'text-delta', text };
      }
      throw truncatedStream(this.endpoint, 'the stream ended without [DONE]');
    } catch (error) {
      throw withRequest(error, this.chatUrl, requestBody);
    }
  }
}
