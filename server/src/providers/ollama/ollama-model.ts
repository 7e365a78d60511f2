// An Ollama chat model (local, or cloud with a key): /api/chat over HTTP, NDJSON streams.
// The base URL is the host root, as in electrictown's configs.
import { authorizationHeader } from '../auth-headers';
import { answerError, endpointError, endpointFor, JSON_CONTENT, malformedAnswer, parseJsonBody, readText, responseError, send, type Endpoint, type ProviderSettings, withRequest } from '../http';
import type { CallOptions, GenerateResult, LanguageModel, StreamEvent, Usage } from '../language-model';
import { ndjsonBatches, truncatedStream } from '../streamed-events';
import { estimatePromptTokens } from '../token-estimate';
import { CONTEXT_LENGTHS, type ContextLengths } from './context-lengths';
import { buildChatRequest, mapFinishReason, parseChatLine, parseChatResponse, silentlyTruncated } from './ollama-api';

export type OllamaSettings = ProviderSettings;

export class OllamaModel implements LanguageModel {
  readonly providerType = 'ollama' as const;
  readonly provider: string;
  private readonly endpoint: Endpoint;
  private readonly baseUrl: string;
  private readonly chatUrl: string;
  private readonly postHeaders: Record<string, string>;

  constructor(
    settings: OllamaSettings,
    readonly modelId: string,
    /** The alias's `context_window`, sent as `num_ctx`; without it, the model's own length from /api/show. */
    private readonly contextWindow: number | undefined,
    private readonly contextLengths: ContextLengths = CONTEXT_LENGTHS,
  ) {
    this.provider = settings.provider;
    this.endpoint = endpointFor(settings.provider, 'ollama', settings.apiKey, settings.headers, settings.timeouts);
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
    this.chatUrl = `${this.baseUrl}/api/chat`;
    this.postHeaders = { ...JSON_CONTENT, ...settings.headers, ...authorizationHeader(settings.authType, settings.apiKey) };
  }

  /** The window this call gets: always sent, since Ollama's default is small and differs by machine (§4.6). */
  private numCtx(signal: AbortSignal): Promise<number> | number {
    return this.contextWindow ?? this.contextLengths.lookup({ endpoint: this.endpoint, baseUrl: this.baseUrl, headers: this.postHeaders, modelId: this.modelId, signal });
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const numCtx = await this.numCtx(options.signal);
    const requestBody = buildChatRequest(this.modelId, options, numCtx, false);
    try {
      const response = await send(this.endpoint, 'POST', this.chatUrl, this.postHeaders, requestBody, options.signal);
      if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
      const body = parseJsonBody(this.endpoint, await readText(this.endpoint, response, options.signal), response.status);
      const inBodyError = parseChatLine(body).error;
      if (inBodyError !== undefined) throw this.inStreamError(inBodyError);
      const result = parseChatResponse(body, options.maxTokens !== undefined);
      if (!result) throw malformedAnswer(this.endpoint, 'no final message', response.status);
      this.checkNotTruncated(result.usage, options, numCtx);
      return result;
    } catch (error) {
      throw withRequest(error, this.chatUrl, requestBody);
    }
  }

  /** Ollama cut the prompt to fit and answered anyway: that answer is to a different question. */
  private checkNotTruncated(usage: Usage, options: CallOptions, numCtx: number): void {
    if (!silentlyTruncated(usage.inputTokens, numCtx)) return;
    const estimate = estimatePromptTokens(options.messages);
    const size = estimate > (usage.inputTokens ?? 0) ? `the prompt (about ${estimate} tokens)` : 'the prompt';
    throw endpointError(
      this.endpoint,
      { errorClass: 'context_overflow', action: 'fallback', message: `${size} did not fit num_ctx ${numCtx}: Ollama kept ${usage.inputTokens} tokens of it, dropped the rest and answered anyway, so a model with a bigger window must answer` },
      200,
      usage,
    );
  }

  /** The lines of one chunk, read in one go: their text as one delta, and the end if it came. */
  private readLines(values: readonly unknown[], options: CallOptions, numCtx: number): { text: string; end?: StreamEvent } {
    let text = '';
    for (const value of values) {
      const line = parseChatLine(value);
      if (line.error !== undefined) throw this.inStreamError(line.error);
      if (line.text !== undefined) text += line.text;
      if (line.done && line.usage) {
        this.checkNotTruncated(line.usage, options, numCtx);
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
    const numCtx = await this.numCtx(options.signal);
    const requestBody = buildChatRequest(this.modelId, options, numCtx, true);
    try {
      const response = await send(this.endpoint, 'POST', this.chatUrl, this.postHeaders, requestBody, options.signal);
      if (response.status !== 200) throw await responseError(this.endpoint, response, options.signal);
      for await (const values of ndjsonBatches(this.endpoint, response, options.signal)) {
        const batch = this.readLines(values, options, numCtx);
        if (batch.text !== '') yield { type: 'text-delta', text: batch.text };
        if (batch.end) return yield batch.end;
      }
      throw truncatedStream(this.endpoint, 'the stream ended without its done:true line');
    } catch (error) {
      throw withRequest(error, this.chatUrl, requestBody);
    }
  }
}
