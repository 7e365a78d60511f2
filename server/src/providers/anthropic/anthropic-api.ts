// Anthropic's Messages API on the wire (wire-formats §2): a top-level `system`, a required
// `max_tokens`, usage that excludes cache reads and writes from `input_tokens`. Pure.
import type { CallOptions, FinishReason, GenerateResult, Usage } from '../language-model';
import { tokenCount } from '../usage';

/** Sent only when neither the role, the model nor the defaults set max_tokens (Anthropic requires one). */
export const MAX_TOKENS_WHEN_UNSET = 8192;
export const ANTHROPIC_VERSION = '2023-06-01';

export function buildMessagesRequest(modelId: string, options: CallOptions, stream: boolean): Record<string, unknown> {
  const system = options.messages.filter((message) => message.role === 'system').map((message) => message.content);
  return {
    model: modelId,
    max_tokens: options.maxTokens ?? MAX_TOKENS_WHEN_UNSET,
    ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
    messages: options.messages.filter((message) => message.role !== 'system').map(({ role, content }) => ({ role, content })),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    ...(stream ? { stream: true } : {}),
  };
}

export function mapFinishReason(raw: string | undefined): FinishReason {
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
    case 'tool_use':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
      return 'length';
    case 'refusal':
      return 'content_filter';
    case 'model_context_window_exceeded':
      return 'context_overflow';
    default:
      return 'other';
  }
}

/** Total input = input_tokens + cache writes + cache reads (§0.2); cached = cache reads. */
export function normaliseUsage(usage: unknown): Usage {
  const record = (usage ?? {}) as Record<string, unknown>;
  const input = tokenCount(record.input_tokens);
  const written = tokenCount(record.cache_creation_input_tokens) ?? 0;
  const read = tokenCount(record.cache_read_input_tokens);
  return {
    inputTokens: input === undefined ? undefined : input + written + (read ?? 0),
    cachedInputTokens: read,
    outputTokens: tokenCount(record.output_tokens),
    reasoningTokens: undefined,
  };
}

export function parseMessagesResponse(body: unknown): GenerateResult | undefined {
  const record = body as { content?: { type?: unknown; text?: unknown }[]; stop_reason?: unknown; usage?: unknown } | undefined;
  if (!Array.isArray(record?.content)) return undefined;
  const rawFinishReason = typeof record.stop_reason === 'string' ? record.stop_reason : undefined;
  return {
    text: record.content.flatMap((block) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : [])).join(''),
    finishReason: mapFinishReason(rawFinishReason),
    rawFinishReason,
    usage: normaliseUsage(record.usage),
  };
}

/** Usage from `message_start` overlaid by the cumulative, corrected figures of `message_delta`. */
export function mergeUsage(start: Record<string, unknown>, delta: Record<string, unknown>): Record<string, unknown> {
  return { ...start, ...Object.fromEntries(Object.entries(delta).filter(([, value]) => value !== null && value !== undefined)) };
}
