// OpenAI Chat Completions on the wire (wire-formats §1): the request body, and the response, stream
// chunks, usage and finish reasons read back into the shared shapes. Pure; schemas are lenient on
// what comes back, because OpenAI-compatible servers vary (vLLM, LM Studio, OpenRouter, Groq and
// Ollama's /v1 leave out usage or send it late, leave finish_reason null until the end, send chunks
// with no choices, and add fields of their own).
import type { CallOptions, FinishReason, GenerateResult, Usage } from '../language-model';
import { tokenCount, UNKNOWN_USAGE } from '../usage';

/** OpenAI itself, or a server that speaks its chat format. */
export type OpenAiDialect = 'openai' | 'openai-compatible';

/**
 * The output cap's field: OpenAI's reasoning models reject the older `max_tokens`, while compatible
 * servers document only `max_tokens` (Ollama's /v1 maps it to num_predict; §4.7).
 */
function outputCapField(dialect: OpenAiDialect): string {
  return dialect === 'openai' ? 'max_completion_tokens' : 'max_tokens';
}

export function buildChatRequest(modelId: string, options: CallOptions, stream: boolean, dialect: OpenAiDialect = 'openai'): Record<string, unknown> {
  return {
    model: modelId,
    messages: options.messages.map(({ role, content }) => ({ role, content })),
    ...(options.maxTokens !== undefined ? { [outputCapField(dialect)]: options.maxTokens } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

export function mapFinishReason(raw: string | undefined): FinishReason {
  if (raw === 'stop' || raw === 'tool_calls' || raw === 'function_call') return 'stop';
  if (raw === 'length') return 'length';
  if (raw === 'content_filter') return 'content_filter';
  return 'other';
}

/** `prompt_tokens` includes cached tokens; `completion_tokens` includes reasoning (§0.2). */
export function normaliseUsage(usage: unknown): Usage {
  const record = (usage ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return {
    inputTokens: tokenCount(record.prompt_tokens),
    cachedInputTokens: tokenCount(record.prompt_tokens_details?.cached_tokens),
    outputTokens: tokenCount(record.completion_tokens),
    reasoningTokens: tokenCount(record.completion_tokens_details?.reasoning_tokens),
  };
}

/** A finish reason when one is set: compatible servers send null, or an empty string, until the end. */
function finishReasonOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A usage object with at least one count; some servers send `usage: {}` or all-null counts mid-stream. */
function reportedUsage(value: unknown): Usage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const usage = normaliseUsage(value);
  return usage.inputTokens === undefined && usage.outputTokens === undefined ? undefined : usage;
}

/** The error object of a body that carries one instead of choices (OpenRouter answers some failures with a 200). */
export function bodyError(body: unknown): unknown {
  const error = (body as { error?: unknown } | undefined)?.error;
  return error !== undefined && error !== null && error !== false ? error : undefined;
}

/** The answer, or undefined when it has no choice with a message: nothing to read is no answer. */
export function parseChatResponse(body: unknown): GenerateResult | undefined {
  const choice = (body as { choices?: { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown }[] } | undefined)?.choices?.[0];
  if (!choice || typeof choice.message !== 'object' || choice.message === null) return undefined;
  const rawFinishReason = finishReasonOf(choice.finish_reason);
  const refused = typeof choice.message?.refusal === 'string' && choice.message.refusal !== '';
  return {
    text: typeof choice.message?.content === 'string' ? choice.message.content : '',
    finishReason: refused ? 'content_filter' : mapFinishReason(rawFinishReason),
    rawFinishReason,
    usage: reportedUsage((body as { usage?: unknown }).usage) ?? UNKNOWN_USAGE,
  };
}

/** What one stream chunk carries. */
export interface ChunkContent {
  error?: unknown;
  text?: string;
  rawFinishReason?: string;
  usage?: Usage;
}

export function parseStreamChunk(chunk: unknown): ChunkContent {
  const record = (chunk ?? {}) as { choices?: unknown; usage?: unknown; x_groq?: { usage?: unknown } };
  const error = bodyError(record);
  if (error !== undefined) return { error };
  const choice = Array.isArray(record.choices) ? (record.choices[0] as { delta?: { content?: unknown }; finish_reason?: unknown } | undefined) : undefined;
  const content: ChunkContent = {};
  if (typeof choice?.delta?.content === 'string' && choice.delta.content !== '') content.text = choice.delta.content;
  const rawFinishReason = finishReasonOf(choice?.finish_reason);
  if (rawFinishReason !== undefined) content.rawFinishReason = rawFinishReason;
  // Groq reports a stream's usage inside its own `x_groq` object on the last chunk.
  const usage = reportedUsage(record.usage) ?? reportedUsage(record.x_groq?.usage);
  if (usage) content.usage = usage;
  return content;
}
