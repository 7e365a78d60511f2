// What one request cost, from the alias's `pricing` (USD per 1M tokens). A model without a price, or
// a priced count the provider did not report, gives null — unpriced, flagged — never a silent $0.
import type { Usage } from '../providers/language-model';

export interface Pricing {
  input: number;
  output: number;
  cached_input?: number;
}

const PER_TOKEN = 1 / 1_000_000;

/** Tokens times price; an unknown count is fine only when its price is 0. */
function part(tokens: number | undefined, pricePerMillion: number): number | null {
  if (tokens === undefined) return pricePerMillion === 0 ? 0 : null;
  return tokens * pricePerMillion * PER_TOKEN;
}

export function costUsd(usage: Usage, pricing: Pricing | undefined): number | null {
  if (!pricing) return null;
  const cached = usage.cachedInputTokens ?? 0;
  const uncachedInput = usage.inputTokens === undefined ? undefined : Math.max(0, usage.inputTokens - cached);
  // Cached input is billed at its own rate, or at the input rate when none is given.
  const parts = [part(uncachedInput, pricing.input), part(cached, pricing.cached_input ?? pricing.input), part(usage.outputTokens, pricing.output)];
  if (parts.some((value) => value === null)) return null;
  return (parts as number[]).reduce((total, value) => total + value, 0);
}
