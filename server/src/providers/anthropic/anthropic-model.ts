// An Anthropic model: /v1/messages over HTTP, named SSE events. The base URL is the host.
import { answerError, endpointFor, JSON_CONTENT, malformedAnswer, parseJsonBody, readText, responseError, send, type Endpoint, type ProviderSettings, withRequest } from '../http';
import type { CallOptions, GenerateResult, LanguageModel, StreamEvent } from '../language-model';
import { eventJson, sseBatches, truncatedStream } from '../streamed-events';
import { ANTHROPIC_VERSION, buildMessagesRequest, mapFinishReason, mergeUsage, normaliseUsage, parseMessagesResponse } from './anthropic-api';

export type AnthropicSettings = ProviderSettings;

/** `x-api-key` (or an explicit bearer/basic for proxies) and the API version. */
export function anthropicHeaders(settings: ProviderSettings): Record<string, string> {
  const { apiKey, authType } = settings;
  const auth: Record<string, string> =
    !apiKey || authType === 'none'
      ? {}
      : authType === 'bearer'
        ? { authorization: `Bearer ${apiKey}` }
        : authType === 'basic'
          ? { authorization: `Basic ${Buffer.from(apiKey).toString('base64')}` }
          : { 'x-api-key': apiKey };
  return { ...settings.headers, ...auth, 'anthropic-version': ANTHROPIC_VERSION };
}

export class AnthropicModel implements LanguageModel {
  readonly providerType = 'anthropic' as const;
  readonly provider: string;
  private readonly endpoint: Endpoint;
  private readonly messagesUrl: string;
  private readonly postHeaders: Record<string, string>;

  constructor(settings: AnthropicSettings, readonly modelId: string) {
    this.provider = settings.provider;
    this.endpoint = endpointFor(settings.provider, 'anthropic', settings.apiKey, settings.headers, settings.timeouts);
    this.messagesUrl = `${settings.baseUrl.replace(/\/+$/, '')}/v1/messages`;
    this.postHeaders = { ...JSON_CONTENT, ...anthropicHeaders(settings) };
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const requestBody = buildMessagesRequest(this.modelId, options, false);
    try {
      const response = await send(this.endpoint, 'POST', this.messagesUrl, this.postHeaders, requestBody, options.signal);
      if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
      const result = parseMessagesResponse(parseJsonBody(this.endpoint, await readText(this.endpoint, response, options.signal), response.status));
      if (!result) throw malformedAnswer(this.endpoint, 'no content', response.status);
      return result;
    } catch (error) {
      throw withRequest(error, this.messagesUrl, requestBody);
    }
  }

  async *stream(options: CallOptions): AsyncGenerator<StreamEvent> {
    const requestBody = buildMessagesRequest(this.modelId, options, true);
    try {
      const response = await send(this.endpoint, 'POST', this.messagesUrl, this.postHeaders, requestBody, options.signal);
      if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
      let usage: Record<string, unknown> = {};
      let rawFinishReason: string | undefined;
      for await (const events of sseBatches(this.endpoint, response, options.signal)) {
        // A chunk's events are read in one go and its text passed on as one delta.
        let text = '';
        for (const event of events) {
          const data = (eventJson(this.endpoint, event) ?? {}) as Record<string, unknown>;
          switch (event.event) {
            case 'message_start':
              usage = ((data.message as { usage?: Record<string, unknown> } | undefined)?.usage ?? {}) as Record<string, unknown>;
              break;
            case 'content_block_delta': {
              const delta = data.delta as { type?: unknown; text?: unknown } | undefined;
              if (delta?.type === 'text_delta' && typeof delta.text === 'string') text += delta.text;
              break;
            }
            case 'message_delta': {
              const stopReason = (data.delta as { stop_reason?: unknown } | undefined)?.stop_reason;
              if (typeof stopReason === 'string') rawFinishReason = stopReason;
              usage = mergeUsage(usage, (data.usage ?? {}) as Record<string, unknown>);
              break;
            }
            case 'message_stop':
              if (text !== '') yield { type: 'text-delta', text };
              yield { type: 'end', finishReason: mapFinishReason(rawFinishReason), rawFinishReason, usage: normaliseUsage(usage) };
              return;
            case 'error':
              // Classified like the matching HTTP error (§2.6): overloaded_error → 529, api_error → 500…
              throw answerError(this.endpoint, { status: 500, headers: {}, body: event.data }, 200);
            default:
            // ping, content_block_start/stop and event types added later carry nothing we need.
          }
        }
        if (text !== '') yield { type: 'text-delta', text };
      }
      throw truncatedStream(this.endpoint, 'the stream ended without message_stop');
    } catch (error) {
      throw withRequest(error, this.messagesUrl, requestBody);
    }
  }
}
