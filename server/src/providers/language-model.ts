// The one interface every provider adapter implements, and all the router and roles see.
// Messages in; text, a unified finish reason (plus the provider's own) and normalised usage out.
import type { ProviderType } from '../config/schema';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /**
   * Cache the prompt up to and including this message: the end of a prefix later requests repeat byte
   * for byte. Anthropic gets a `cache_control` breakpoint here; OpenAI and Gemini cache such prefixes
   * on their own, and adapters never send the flag.
   */
  cacheBreakpoint?: boolean;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'context_overflow' | 'other';

/**
 * Token counts normalised across providers (wire-formats §0.2): input includes cached input (read
 * and written), output includes reasoning. A count the provider did not report is undefined, never a
 * guessed 0.
 */
export interface Usage {
  inputTokens: number | undefined;
  /** Input read from the provider's prompt cache. */
  cachedInputTokens: number | undefined;
  /** Input written to the prompt cache, billed at its own rate (Anthropic); absent where writes are free. */
  cacheWriteTokens?: number;
  outputTokens: number | undefined;
  reasoningTokens: number | undefined;
}

export interface CallOptions {
  messages: readonly ChatMessage[];
  /** Already resolved from role → model → defaults; adapters send it (Anthropic requires it). */
  maxTokens: number | undefined;
  temperature: number | undefined;
  signal: AbortSignal;
}

export interface GenerateResult {
  text: string;
  finishReason: FinishReason;
  /** The provider's own value, for logs and run records. */
  rawFinishReason: string | undefined;
  usage: Usage;
  /** The counts are a tokenizer's or ours, not the provider's bill (VS Code's models report none). */
  usageEstimated?: boolean;
}

export type StreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'end'; finishReason: FinishReason; rawFinishReason: string | undefined; usage: Usage; usageEstimated?: boolean };

export interface LanguageModel {
  /** The config's provider key, e.g. `anthropic` or `ollama-cloud`. */
  readonly provider: string;
  readonly providerType: ProviderType;
  readonly modelId: string;
  /** Fails with a ProviderError. */
  generate(options: CallOptions): Promise<GenerateResult>;
  /** Ends with exactly one `end` event, or fails with a ProviderError (`truncated_stream` when cut short). */
  stream(options: CallOptions): AsyncIterable<StreamEvent>;
}
