// OpenAI Chat Completions on the wire (wire-formats §1): the request body, and the response, stream
// chunks, usage and finish reasons read back into the shared shapes. Pure; schemas are lenient on
// what comes back, because OpenAI-compatible servers vary.
import type { CallOptions, FinishReason, GenerateResult, Usage } from '../language-model';
import { tokenCount } from '../usage';

export function buildChatRequest(modelId: string, options: CallOptions, stream: boolean): Record<string, unknown> {
  return {
    model: modelId,
    messages: options.messages.map(({ role, content }) => ({ role, content })),
    ...(options.maxTokens !== undefined ? { max_completion_tokens: options.maxTokens } : {}),
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

export function parseChatResponse(body: unknown): GenerateResult | undefined {
  const choice = (body as { choices?: { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown }[] } | undefined)?.choices?.[0];
  if (!choice) return undefined;
  const rawFinishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined;
  const refused = typeof choice.message?.refusal === 'string' && choice.message.refusal !== '';
  return {
    text: typeof choice.message?.content === 'string' ? choice.message.content : '',
    finishReason: refused ? 'content_filter' : mapFinishReason(rawFinishReason),
    rawFinishReason,
    usage: normaliseUsage((body as { usage?: unknown }).usage),
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
  const record = (chunk ?? {}) as { error?: unknown; choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[]; usage?: unknown };
  if (record.error) return { error: record.error };
  const choice = record.choices?.[0];
  const content: ChunkContent = {};
  if (typeof choice?.delta?.content === 'string' && choice.delta.content !== '') content.text = choice.delta.content;
  if (typeof choice?.finish_reason === 'string') content.rawFinishReason = choice.finish_reason;
  if (record.usage) content.usage = normaliseUsage(record.usage);
  return content;
}
