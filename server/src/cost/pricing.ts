// What one request cost, from the alias's `pricing` (USD per 1M tokens). A model without a price, or
// a priced count the provider did not report, gives null — unpriced, flagged — never a silent $0.
// Input read from or written to a provider's prompt cache is billed at its own rate; when no price
// says what, the provider's usual share of the input price.
import type { Usage } from '../providers/language-model';

export interface Pricing {
  input: number;
  output: number;
  /** Input read from the prompt cache. */
  cache_read?: number;
  /** The older name of `cache_read`, still read from configs. */
  cached_input?: number;
  /** Input written to the prompt cache (Anthropic bills writes; the others do not). */
  cache_write?: number;
}

const PER_TOKEN = 1 / 1_000_000;

/** Tokens times price; an unknown count is fine only when its price is 0. */
function part(tokens: number | undefined, pricePerMillion: number): number | null {
  if (tokens === undefined) return pricePerMillion === 0 ? 0 : null;
  return tokens * pricePerMillion * PER_TOKEN;
}

/** USD per 1M tokens read from the cache: the price's own figure, else the input price. */
export function cacheReadPrice(pricing: Pricing): number {
  return pricing.cache_read ?? pricing.cached_input ?? pricing.input;
}

/** USD per 1M tokens written to the cache: the price's own figure, else the input price. */
export function cacheWritePrice(pricing: Pricing): number {
  return pricing.cache_write ?? pricing.input;
}

export function costUsd(usage: Usage, pricing: Pricing | undefined): number | null {
  if (!pricing) return null;
  const read = usage.cachedInputTokens ?? 0;
  const written = usage.cacheWriteTokens ?? 0;
  // Input counts include cache reads and writes (language-model.ts); what is left was sent uncached.
  const uncachedInput = usage.inputTokens === undefined ? undefined : Math.max(0, usage.inputTokens - read - written);
  const parts = [part(uncachedInput, pricing.input), part(read, cacheReadPrice(pricing)), part(written, cacheWritePrice(pricing)), part(usage.outputTokens, pricing.output)];
  if (parts.some((value) => value === null)) return null;
  return (parts as number[]).reduce((total, value) => total + value, 0);
}

/**
 * What the prompt cache saved on one attempt against sending the same input uncached: reads at their
 * discount, less what writes cost over the input price (negative when a write was never read back).
 * null when the model is unpriced.
 */
export function cacheSavingUsd(usage: Usage, pricing: Pricing | undefined): number | null {
  if (!pricing) return null;
  const read = usage.cachedInputTokens ?? 0;
  const written = usage.cacheWriteTokens ?? 0;
  return (read * (pricing.input - cacheReadPrice(pricing)) + written * (pricing.input - cacheWritePrice(pricing))) * PER_TOKEN;
}

/**
 * What each provider bills cache reads and writes at, as a share of its input price, for prices that
 * do not say: Anthropic writes at 1.25× and reads at 0.1×; OpenAI and Gemini cache on their own, with
 * free writes and reads at 0.5× and 0.25×; Ollama reports no cache.
 */
export const CACHE_RATES: Readonly<Record<string, { read: number; write: number }>> = {
  anthropic: { read: 0.1, write: 1.25 },
  openai: { read: 0.5, write: 1 },
  gemini: { read: 0.25, write: 1 },
  ollama: { read: 1, write: 1 },
};

/**
 * The price with its cache rates filled in: its own figures; else the built-in table's ratio to the
 * input price for the model, when it lists one; else the provider's usual share (CACHE_RATES).
 */
export function withCachePrices(pricing: Pricing, providerType: string, listed: Pricing | undefined): Pricing {
  const rates = CACHE_RATES[providerType] ?? { read: 1, write: 1 };
  const listedRead = listed?.cache_read ?? listed?.cached_input;
  const readShare = listedRead !== undefined && listed && listed.input > 0 ? listedRead / listed.input : rates.read;
  const writeShare = listed?.cache_write !== undefined && listed.input > 0 ? listed.cache_write / listed.input : rates.write;
  return {
    input: pricing.input,
    output: pricing.output,
    cache_read: pricing.cache_read ?? pricing.cached_input ?? pricing.input * readShare,
    cache_write: pricing.cache_write ?? pricing.input * writeShare,
  };
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

/** The price a request is billed at, cache rates filled in, or undefined when none is known (the cost is then unpriced). */
export function resolvePricing(model: PricedModel, listPrice: (modelId: string) => Pricing | undefined): ResolvedPricing | undefined {
  const listed = listPrice(model.modelId);
  if (model.configured) return { pricing: withCachePrices(model.configured, model.providerType, listed), source: 'config' };
  // VS Code's models are paid for by the editor's subscription, not per token: never a list price.
  if (model.providerType === 'vscode') return undefined;
  if (isLocalOllama(model)) return { pricing: { input: 0, output: 0, cache_read: 0, cache_write: 0 }, source: 'local' };
  return listed ? { pricing: withCachePrices(listed, model.providerType, listed), source: 'list' } : undefined;
}
