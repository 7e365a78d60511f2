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

export type PricingSource = 'config' | 'list' | 'local';

export interface ResolvedPricing {
  pricing: Pricing;
  /** Where the price came from: the alias's `pricing`, the built-in list, or a model run on this machine. */
  source: PricingSource;
}

export interface PricedModel {
  /** The alias's own `pricing`, which always wins. */
  configured: Pricing | undefined;
  providerType: string;
  /** The provider's base URL (resolved), or undefined for the default. */
  baseUrl: string | undefined;
  modelId: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** A native Ollama endpoint on this machine: its tokens cost nothing but electricity. */
function isLocalOllama(model: PricedModel): boolean {
  if (model.providerType !== 'ollama') return false;
  if (model.baseUrl === undefined) return true;
  try {
    return LOOPBACK_HOSTS.has(new URL(model.baseUrl).hostname);
  } catch {
    return false;
  }
}

/** The price a request is billed at, or undefined when none is known (the cost is then unpriced). */
export function resolvePricing(model: PricedModel, listPrice: (modelId: string) => Pricing | undefined): ResolvedPricing | undefined {
  if (model.configured) return { pricing: model.configured, source: 'config' };
  if (isLocalOllama(model)) return { pricing: { input: 0, output: 0 }, source: 'local' };
  const listed = listPrice(model.modelId);
  return listed ? { pricing: listed, source: 'list' } : undefined;
}
