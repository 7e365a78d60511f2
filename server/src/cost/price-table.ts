// List prices of well-known models, USD per 1M tokens, for models whose alias has no `pricing` in the
// config. Dated snapshot ids (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`,
// `gemini-2.5-flash-preview-05-20`) match their family. Prices change: the config's `pricing` always
// wins, and a model missing here is recorded as unpriced, never as $0.
import type { Pricing } from './pricing';

/** When the figures below were last checked against the providers' price pages. */
export const PRICE_TABLE_DATE = '2026-11';

// Cache reads as listed; cache writes are left to pricing.ts (Anthropic's 1.25× of input, free elsewhere).
const price = (input: number, cache_read: number, output: number): Pricing => ({ input, cache_read, output });

// Gemini's long-prompt tier (over 200k tokens) costs more; the table holds the standard tier.
const PRICES: Readonly<Record<string, Pricing>> = {
  // OpenAI
  'gpt-5.5': price(5, 0.5, 30),
  'gpt-5.4': price(2.5, 0.25, 15),
  'gpt-5.4-mini': price(0.75, 0.075, 4.5),
  'gpt-5.4-nano': price(0.2, 0.02, 1.25),
  'gpt-5': price(1.25, 0.125, 10),
  'gpt-5-mini': price(0.25, 0.025, 2),
  'gpt-5-nano': price(0.05, 0.005, 0.4),
  'gpt-4.1': price(2, 0.5, 8),
  'gpt-4.1-mini': price(0.4, 0.1, 1.6),
  'gpt-4.1-nano': price(0.1, 0.025, 0.4),
  'gpt-4o': price(2.5, 1.25, 10),
  'gpt-4o-mini': price(0.15, 0.075, 0.6),
  o3: price(2, 0.5, 8),
  'o3-mini': price(1.1, 0.55, 4.4),
  'o4-mini': price(1.1, 0.275, 4.4),
  o1: price(15, 7.5, 60),
  // Anthropic
  'claude-opus-4-8': price(5, 0.5, 25),
  'claude-opus-4-7': price(5, 0.5, 25),
  'claude-opus-4-6': price(5, 0.5, 25),
  'claude-opus-4-5': price(5, 0.5, 25),
  'claude-opus-4-1': price(15, 1.5, 75),
  'claude-opus-4': price(15, 1.5, 75),
  'claude-sonnet-4-6': price(3, 0.3, 15),
  'claude-sonnet-4-5': price(3, 0.3, 15),
  'claude-sonnet-4': price(3, 0.3, 15),
  'claude-3-7-sonnet': price(3, 0.3, 15),
  'claude-haiku-4-5': price(1, 0.1, 5),
  'claude-3-5-haiku': price(0.8, 0.08, 4),
  'claude-3-haiku': price(0.25, 0.03, 1.25),
  // Google
  'gemini-3-pro-preview': price(2, 0.2, 12),
  'gemini-2.5-pro': price(1.25, 0.125, 10),
  'gemini-2.5-flash': price(0.3, 0.03, 2.5),
  'gemini-2.5-flash-lite': price(0.1, 0.01, 0.4),
  'gemini-2.0-flash': price(0.1, 0.025, 0.4),
  'gemini-2.0-flash-lite': price(0.075, 0.075, 0.3),
};

// Suffixes that name a snapshot of a family rather than another model.
const SNAPSHOT_SUFFIXES = [
  /-\d{4}-\d{2}-\d{2}$/, // gpt-4o-2024-08-06
  /-\d{8}$/, // claude-sonnet-4-5-20250929
  /-latest$/, // claude-3-5-haiku-latest
  /-preview-\d{2}-\d{2}$/, // gemini-2.5-flash-preview-05-20
  /-\d{3}$/, // gemini-2.0-flash-001
];

/** The family a model id belongs to: provider prefixes and snapshot suffixes removed. */
export function modelFamily(modelId: string): string {
  let family = modelId.trim().toLowerCase().replace(/^models\//, '');
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of SNAPSHOT_SUFFIXES) {
      const shorter = family.replace(suffix, '');
      if (shorter !== family) {
        family = shorter;
        changed = true;
      }
    }
  }
  return family;
}

/** The list price of a model id, or undefined when the table does not know it. */
export function listPrice(modelId: string): Pricing | undefined {
  const exact = PRICES[modelId.toLowerCase()];
  return exact ?? PRICES[modelFamily(modelId)];
}
