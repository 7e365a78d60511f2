// An Ollama chat model (local, or cloud with a key): /api/chat over HTTP, NDJSON streams.
// The base URL is the host root, as in electrictown's configs.
import { authorizationHeader } from '../auth-headers';
import { answerError, endpointError, endpointFor, JSON_CONTENT, malformedAnswer, parseJsonBody, readText, responseError, send, type Endpoint, type ProviderSettings } from '../http';
import type { CallOptions, GenerateResult, LanguageModel, StreamEvent, Usage } from '../language-model';
import { ndjsonBatches, truncatedStream } from '../streamed-events';
import { estimatePromptTokens } from '../token-estimate';
import { buildChatRequest, mapFinishReason, parseChatLine, parseChatResponse, silentlyTruncated } from './ollama-api';

export type OllamaSettings = ProviderSettings;

export class OllamaModel implements LanguageModel {
  readonly providerType = 'ollama' as const;
  readonly provider: string;
  private readonly endpoint: Endpoint;
  private readonly chatUrl: string;
  private readonly postHeaders: Record<string, string>;

  constructor(
    settings: OllamaSettings,
    readonly modelId: string,
    /** The alias's `context_window`, sent as `num_ctx`. */
    private readonly contextWindow: number | undefined,
  ) {
    this.provider = settings.provider;
    this.endpoint = endpointFor(settings.provider, 'ollama', settings.apiKey, settings.headers, settings.timeouts);
    this.chatUrl = `${settings.baseUrl.replace(/\/+$/, '')}/api/chat`;
    this.postHeaders = { ...JSON_CONTENT, ...settings.headers, ...authorizationHeader(settings.authType, settings.apiKey) };
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const response = await send(this.endpoint, 'POST', this.chatUrl, this.postHeaders, buildChatRequest(this.modelId, options, this.contextWindow, false), options.signal);
    if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
    const body = parseJsonBody(this.endpoint, await readText(this.endpoint, response, options.signal), response.status);
    const inBodyError = parseChatLine(body).error;
    if (inBodyError !== undefined) throw this.inStreamError(inBodyError);
    const result = parseChatResponse(body, options.maxTokens !== undefined);
    if (!result) throw malformedAnswer(this.endpoint, 'no final message', response.status);
    this.checkNotTruncated(result.usage, options);
    return result;
  }

  /** Ollama cut the prompt to fit and answered anyway: that answer is to a different question. */
  private checkNotTruncated(usage: Usage, options: CallOptions): void {
    const estimate = estimatePromptTokens(options.messages);
    if (!silentlyTruncated(usage.inputTokens, this.contextWindow, estimate)) return;
    throw endpointError(
      this.endpoint,
      { errorClass: 'context_overflow', action: 'fallback', message: `the prompt (about ${estimate} tokens) did not fit num_ctx ${this.contextWindow}: Ollama kept ${usage.inputTokens} tokens of it and dropped the rest` },
      200,
      usage,
    );
  }

  /** The lines of one chunk, read in one go: their text as one delta, and the end if it came. */
  private readLines(values: readonly unknown[], options: CallOptions): { text: string; end?: StreamEvent } {
    let text = '';
    for (const value of values) {
      const line = parseChatLine(value);
      if (line.error !== undefined) throw this.inStreamError(line.error);
      if (line.text !== undefined) text += line.text;
      if (line.done && line.usage) {
        this.checkNotTruncated(line.usage, options);
        return { text, end: { type: 'end', finishReason: mapFinishReason(line.rawFinishReason, options.maxTokens !== undefined), rawFinishReason: line.rawFinishReason, usage: line.usage } };
      }
    }
    return { text };
  }

  /** An `{"error": …}` line: a server error unless its text says otherwise (§6.5). */
  private inStreamError(message: string) {
    return answerError(this.endpoint, { status: 500, headers: {}, body: JSON.stringify({ error: message }) }, 200);
  }

  async *stream(options: CallOptions): AsyncGenerator<StreamEvent> {
    const response = await send(this.endpoint, 'POST', this.chatUrl, this.postHeaders, buildChatRequest(this.modelId, options, this.contextWindow, true), options.signal);
    if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
    for await (const values of ndjsonBatches(this.endpoint, response, options.signal)) {
      const batch = this.readLines(values, options);
      if (batch.text !== '') yield { type: 'text-delta', text: batch.text };
      if (batch.end) return yield batch.end;
    }
    throw truncatedStream(this.endpoint, 'the stream ended without its done:true line');
  }
}
