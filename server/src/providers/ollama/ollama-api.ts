// Ollama's native /api/chat on the wire (wire-formats §4): settings go inside `options`, `num_ctx` is
// always sent (Ollama silently truncates to a smaller default otherwise), streams are NDJSON. Pure.
import type { CallOptions, FinishReason, GenerateResult, Usage } from '../language-model';
import { tokenCount } from '../usage';

export function buildChatRequest(modelId: string, options: CallOptions, numCtx: number, stream: boolean): Record<string, unknown> {
  const settings = {
    num_ctx: numCtx,
    ...(options.maxTokens !== undefined ? { num_predict: options.maxTokens } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
  };
  return {
    model: modelId,
    messages: options.messages.map(({ role, content }) => ({ role, content })),
    stream,
    options: settings,
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
 * Ollama answers an over-long prompt with 200 after dropping its oldest part (§4.6). The only sign is
 * a prompt count at the window's edge. Our own estimate is not asked: it runs low on code and CJK, so
 * it would miss real cuts; and a prompt that really filled the window leaves no room to answer
 * either, so overflow is the right call then too.
 */
export function silentlyTruncated(promptEvalCount: number | undefined, numCtx: number): boolean {
  if (promptEvalCount === undefined) return false;
  return promptEvalCount >= numCtx - Math.max(32, Math.floor(numCtx / 50));
}

/**
 * A model's trained context length from `POST /api/show`: `model_info["<arch>.context_length"]`, where
 * `<arch>` is `model_info["general.architecture"]`. Undefined when the answer does not say.
 */
export function contextLengthFromShow(body: unknown): number | undefined {
  const info = (body as { model_info?: unknown } | undefined)?.model_info;
  if (typeof info !== 'object' || info === null) return undefined;
  const fields = info as Record<string, unknown>;
  const architecture = fields['general.architecture'];
  if (typeof architecture !== 'string') return undefined;
  const length = fields[`${architecture}.context_length`];
  return typeof length === 'number' && Number.isInteger(length) && length > 0 ? length : undefined;
}

export function parseChatResponse(body: unknown, capped: boolean): GenerateResult | undefined {
  const line = parseChatLine(body);
  if (!line.done || !line.usage) return undefined;
  return { text: line.text ?? '', finishReason: mapFinishReason(line.rawFinishReason, capped), rawFinishReason: line.rawFinishReason, usage: line.usage };
}
