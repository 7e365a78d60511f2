// Gemini's generateContent on the wire (wire-formats §3): `systemInstruction`, roles user/model,
// settings in `generationConfig`, cumulative usage on every stream chunk, cached input in
// `cachedContentTokenCount`. Pure.
import type { CallOptions, FinishReason, GenerateResult, Usage } from '../language-model';
import { UNKNOWN_USAGE } from '../usage';

/** electrictown's Gemini base ends in /v1beta; a bare host gets it rather than a 404. */
export function geminiBase(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return /\/v1(beta)?$/.test(trimmed) ? trimmed : `${trimmed}/v1beta`;
}

/**
 * Consecutive messages of one role are one turn of several parts (a shared prefix, then what is
 * particular to the request), so turns alternate as the API expects and the prefix stays the same
 * bytes for Gemini's implicit cache.
 */
function contentsOf(messages: CallOptions['messages']): { role: 'user' | 'model'; parts: { text: string }[] }[] {
  const contents: { role: 'user' | 'model'; parts: { text: string }[] }[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const role = message.role === 'assistant' ? 'model' : 'user';
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push({ text: message.content });
    else contents.push({ role, parts: [{ text: message.content }] });
  }
  return contents;
}

export function buildGenerateRequest(options: CallOptions): Record<string, unknown> {
  const system = options.messages.filter((message) => message.role === 'system').map((message) => ({ text: message.content }));
  const config = {
    ...(options.maxTokens !== undefined ? { maxOutputTokens: options.maxTokens } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
  };
  return {
    ...(system.length > 0 ? { systemInstruction: { parts: system } } : {}),
    contents: contentsOf(options.messages),
    ...(Object.keys(config).length > 0 ? { generationConfig: config } : {}),
  };
}

const CONTENT_STOPS = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);

export function mapFinishReason(raw: string | undefined): FinishReason {
  if (raw === 'STOP') return 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (raw !== undefined && CONTENT_STOPS.has(raw)) return 'content_filter';
  return 'other';
}

/** Counts appear only when non-zero; output includes thoughts, both billed as output (§0.2). */
export function normaliseUsage(metadata: unknown): Usage {
  if (!metadata || typeof metadata !== 'object') return UNKNOWN_USAGE;
  const record = metadata as Record<string, unknown>;
  const value = (key: string) => (typeof record[key] === 'number' ? (record[key] as number) : 0);
  return {
    inputTokens: value('promptTokenCount'),
    cachedInputTokens: value('cachedContentTokenCount'),
    outputTokens: value('candidatesTokenCount') + value('thoughtsTokenCount'),
    reasoningTokens: value('thoughtsTokenCount'),
  };
}

export interface GeminiChunk {
  error?: unknown;
  text: string;
  rawFinishReason?: string;
  /** A blocked prompt: no candidates, a `promptFeedback.blockReason`. */
  blockReason?: string;
  usage?: Usage;
}

export function parseChunk(body: unknown): GeminiChunk {
  const record = (Array.isArray(body) ? body[0] : body) as Record<string, unknown> | undefined;
  if (record?.error) return { error: record.error, text: '' };
  const candidate = (record?.candidates as { content?: { parts?: { text?: unknown; thought?: unknown }[] }; finishReason?: unknown }[] | undefined)?.[0];
  const text = (candidate?.content?.parts ?? []).flatMap((part) => (typeof part.text === 'string' && part.thought !== true ? [part.text] : [])).join('');
  const chunk: GeminiChunk = { text };
  if (typeof candidate?.finishReason === 'string') chunk.rawFinishReason = candidate.finishReason;
  const blockReason = (record?.promptFeedback as { blockReason?: unknown } | undefined)?.blockReason;
  if (typeof blockReason === 'string') chunk.blockReason = blockReason;
  if (record?.usageMetadata) chunk.usage = normaliseUsage(record.usageMetadata);
  return chunk;
}

export function parseGenerateResponse(body: unknown): GenerateResult | undefined {
  const chunk = parseChunk(body);
  if (chunk.error) return undefined;
  if (chunk.blockReason) return { text: '', finishReason: 'content_filter', rawFinishReason: chunk.blockReason, usage: chunk.usage ?? UNKNOWN_USAGE };
  return { text: chunk.text, finishReason: mapFinishReason(chunk.rawFinishReason), rawFinishReason: chunk.rawFinishReason, usage: chunk.usage ?? UNKNOWN_USAGE };
}
