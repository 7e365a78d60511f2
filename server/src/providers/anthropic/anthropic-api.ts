// Anthropic's Messages API on the wire (wire-formats §2): a top-level `system`, a required
// `max_tokens`, `cache_control` breakpoints where messages ask for them, usage that excludes cache
// reads and writes from `input_tokens`. Pure.
import type { CallOptions, ChatMessage, FinishReason, GenerateResult, Usage } from '../language-model';
import { tokenCount } from '../usage';

/** Sent only when neither the role, the model nor the defaults set max_tokens (Anthropic requires one). */
export const MAX_TOKENS_WHEN_UNSET = 8192;
export const ANTHROPIC_VERSION = '2023-06-01';

/** The API refuses a request with more `cache_control` breakpoints than this. */
export const MAX_CACHE_BREAKPOINTS = 4;

interface TextBlock {
  type: 'text';
  text: string;
  cache_control?: { type: 'ephemeral' };
}

/** The messages whose breakpoints are sent: the last four marked (a later one covers a longer prefix). */
function keptBreakpoints(messages: readonly ChatMessage[]): Set<ChatMessage> {
  return new Set(messages.filter((message) => message.cacheBreakpoint === true).slice(-MAX_CACHE_BREAKPOINTS));
}

function textBlock(message: ChatMessage, kept: ReadonlySet<ChatMessage>): TextBlock {
  return kept.has(message) ? { type: 'text', text: message.content, cache_control: { type: 'ephemeral' } } : { type: 'text', text: message.content };
}

/**
 * Consecutive messages of one role become one turn of text blocks, so that a marked message ends its
 * own block; a turn of one unmarked message stays a plain string, as before caching.
 */
function turns(messages: readonly ChatMessage[], kept: ReadonlySet<ChatMessage>): { role: 'user' | 'assistant'; content: string | TextBlock[] }[] {
  const grouped: { role: 'user' | 'assistant'; messages: ChatMessage[] }[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const last = grouped.at(-1);
    if (last?.role === message.role) last.messages.push(message);
    else grouped.push({ role: message.role, messages: [message] });
  }
  return grouped.map(({ role, messages: group }) => ({ role, content: group.length === 1 && !kept.has(group[0]) ? group[0].content : group.map((message) => textBlock(message, kept)) }));
}

export function buildMessagesRequest(modelId: string, options: CallOptions, stream: boolean): Record<string, unknown> {
  const kept = keptBreakpoints(options.messages);
  const systemMessages = options.messages.filter((message) => message.role === 'system');
  // A marked system prompt needs blocks to carry its breakpoint; otherwise it stays one string.
  const system = systemMessages.some((message) => kept.has(message)) ? systemMessages.map((message) => textBlock(message, kept)) : systemMessages.map((message) => message.content).join('\n\n');
  return {
    model: modelId,
    max_tokens: options.maxTokens ?? MAX_TOKENS_WHEN_UNSET,
    ...(systemMessages.length > 0 ? { system } : {}),
    messages: turns(options.messages, kept),
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
  const written = tokenCount(record.cache_creation_input_tokens);
  const read = tokenCount(record.cache_read_input_tokens);
  return {
    inputTokens: input === undefined ? undefined : input + (written ?? 0) + (read ?? 0),
    cachedInputTokens: read,
    ...(written === undefined ? {} : { cacheWriteTokens: written }),
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
