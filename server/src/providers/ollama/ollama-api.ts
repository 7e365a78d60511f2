// Ollama's native /api/chat on the wire (wire-formats §4): settings go inside `options`, `num_ctx` is
// always sent (Ollama silently truncates to a smaller default otherwise), streams are NDJSON. Pure.
import type { CallOptions, FinishReason, GenerateResult, Usage } from '../language-model';
import { tokenCount } from '../usage';

export function buildChatRequest(modelId: string, options: CallOptions, contextWindow: number | undefined, stream: boolean): Record<string, unknown> {
  const settings = {
    ...(contextWindow !== undefined ? { num_ctx: contextWindow } : {}),
    ...(options.maxTokens !== undefined ? { num_predict: options.maxTokens } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
  };
  return {
    model: modelId,
    messages: options.messages.map(({ role, content }) => ({ role, content })),
    stream,
    ...(Object.keys(settings).length > 0 ? { options: settings } : {}),
  };
}

/** `length` without an output cap means the window filled: the answer is cut, not complete (§6.5). */
export function mapFinishReason(raw: string | undefined, capped: boolean): FinishReason {
  if (raw === 'stop') return 'stop';
  if (raw === 'length') return capped ? 'length' : 'context_overflow';
  return 'other';
}

/** `prompt_eval_count` may be missing (prompt served from cache): unknown, not 0. No cached or reasoning counts. */
export function normaliseUsage(final: Record<string, unknown>): Usage {
  return { inputTokens: tokenCount(final.prompt_eval_count), cachedInputTokens: undefined, outputTokens: tokenCount(final.eval_count), reasoningTokens: undefined };
}

export interface ChatLine {
  error?: string;
  text?: string;
  done: boolean;
  rawFinishReason?: string;
  usage?: Usage;
}

export function parseChatLine(line: unknown): ChatLine {
  const record = (line ?? {}) as Record<string, unknown>;
  if (typeof record.error === 'string') return { error: record.error, done: false };
  const content = (record.message as { content?: unknown } | undefined)?.content;
  const parsed: ChatLine = { done: record.done === true };
  if (typeof content === 'string' && content !== '') parsed.text = content;
  if (parsed.done) {
    parsed.rawFinishReason = typeof record.done_reason === 'string' ? record.done_reason : undefined;
    parsed.usage = normaliseUsage(record);
  }
  return parsed;
}

/**
 * Ollama answers an over-long prompt with 200 after dropping its oldest part (§4.6). The sign is a
 * prompt count at the window's edge that our own estimate agrees was at least that big. A prompt that
 * really filled the window leaves no room to answer either, so overflow is the right call then too.
 */
export function silentlyTruncated(promptEvalCount: number | undefined, numCtx: number | undefined, estimatedPromptTokens: number): boolean {
  if (promptEvalCount === undefined || numCtx === undefined) return false;
  const edge = numCtx - Math.max(32, Math.floor(numCtx / 50));
  return promptEvalCount >= edge && estimatedPromptTokens >= 0.8 * promptEvalCount;
}

export function parseChatResponse(body: unknown, capped: boolean): GenerateResult | undefined {
  const line = parseChatLine(body);
  if (!line.done || !line.usage) return undefined;
  return { text: line.text ?? '', finishReason: mapFinishReason(line.rawFinishReason, capped), rawFinishReason: line.rawFinishReason, usage: line.usage };
}
