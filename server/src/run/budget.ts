// A run's spending limit, as a ceiling. Before each attempt is sent, its worst case — the prompt at the
// input price and every output token it may write at the output price — is reserved; when it ends, the
// reservation is exchanged for what it cost. An attempt starts only while what was spent, plus what is
// reserved by the attempts under way, plus its own worst case stays within the budget: so with any
// number of workers, the recorded spend never passes it. Once one is refused, every later one is too,
// so a run stops cleanly rather than trickling on. Unpriced models cannot be counted and are reported,
// not guessed. Pure.
import { cacheReadPrice, cacheWritePrice, type Pricing } from '../cost/pricing';

export class Budget {
  private spentUsd: number;
  private reservedUsd = 0;
  private reached = false;
  private limit: number | null;

  /** `spentUsd`: what the run spent before (a resumed run's budget counts it). */
  constructor(limitUsd: number | null, spentUsd = 0) {
    this.limit = limitUsd;
    this.spentUsd = spentUsd;
  }

  get limitUsd(): number | null {
    return this.limit;
  }

  /** A higher limit: calls may start again. */
  raise(limitUsd: number): void {
    if (this.limit === null || limitUsd <= this.limit) return;
    this.limit = limitUsd;
    this.reached = false;
  }

  get spent(): number {
    return this.spentUsd;
  }

  /** What the attempts under way may still cost, at most. */
  get reserved(): number {
    return this.reservedUsd;
  }

  get exceeded(): boolean {
    return this.reached;
  }

  /** Whether a call whose prompt alone costs `leastUsd` may start: the early check, before any attempt. */
  allows(leastUsd: number): boolean {
    if (this.limitUsd === null) return true;
    if (!this.reached && (this.spentUsd >= this.limitUsd || this.spentUsd + this.reservedUsd + leastUsd > this.limitUsd)) this.reached = true;
    return !this.reached;
  }

  /** Reserves an attempt's worst case; false (and the budget reached) when it does not fit. */
  reserve(worstUsd: number): boolean {
    if (this.limitUsd === null) return true;
    if (!this.reached && this.spentUsd + this.reservedUsd + worstUsd > this.limitUsd) this.reached = true;
    if (this.reached) return false;
    this.reservedUsd += worstUsd;
    return true;
  }

  /** An attempt ended: its reservation (0 for one that reserved nothing) becomes what it cost. */
  settle(reservedUsd: number, usd: number | null): void {
    this.reservedUsd = Math.max(0, this.reservedUsd - reservedUsd);
    if (usd !== null) this.spentUsd += usd;
  }

  record(usd: number | null): void {
    this.settle(0, usd);
  }
}

export class BudgetReachedError extends Error {
  constructor(limitUsd: number, spentUsd: number) {
    super(`the budget of $${limitUsd.toFixed(2)} is reached ($${spentUsd.toFixed(4)} spent)`);
    this.name = 'BudgetReachedError';
  }
}

/** Under a budget, an attempt whose output nothing caps is capped here, so its worst case is known. */
export const RESERVED_OUTPUT_TOKENS = 8192;
/** Our prompt estimate (bytes / 4) against a provider's tokenizer: reserved with this much room. */
const PROMPT_ESTIMATE_MARGIN = 1.25;

/**
 * The most an attempt can cost (USD per 1M tokens): the prompt, with a margin, and every output token it
 * may write; `cap`, the output cap to send when nothing else caps it. A prompt that asks for caching
 * may be written to the cache rather than read from it, so it is reserved at the dearer of the input
 * and cache-write prices. Unpriced: nothing to reserve.
 */
export function worstCase(pricing: Pricing | undefined, promptTokens: number, maxTokens: number | undefined, writesCache = false): { usd: number; cap: number | undefined } {
  const output = maxTokens ?? RESERVED_OUTPUT_TOKENS;
  const inputPrice = pricing === undefined ? 0 : writesCache ? Math.max(pricing.input, cacheWritePrice(pricing)) : pricing.input;
  const usd = pricing === undefined ? 0 : (promptTokens * PROMPT_ESTIMATE_MARGIN * inputPrice + output * pricing.output) / 1_000_000;
  return { usd, cap: maxTokens === undefined ? RESERVED_OUTPUT_TOKENS : undefined };
}

/**
 * The least a call's prompt can cost on a model: all of it read from the cache when that is cheaper.
 * Only for the early check; each attempt still reserves its worst case.
 */
export function leastPromptUsd(pricing: Pricing | undefined, promptTokens: number): number {
  return pricing === undefined ? 0 : (promptTokens * Math.min(pricing.input, cacheReadPrice(pricing))) / 1_000_000;
}
