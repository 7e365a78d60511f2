// Shared pieces of usage normalisation: a count is a finite number or unknown, never a guessed 0.
import type { Usage } from './language-model';

export const UNKNOWN_USAGE: Usage = { inputTokens: undefined, cachedInputTokens: undefined, outputTokens: undefined, reasoningTokens: undefined };

export function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
