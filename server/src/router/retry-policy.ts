// What the router does after a failed attempt (wire-formats §6): retry the same model after a delay,
// move to the next model, or stop. Pure: the random source is passed in, so tests can pin jitter.
import type { Classification } from '../providers/provider-error';
import type { Cooldown } from './cooldowns';

export interface RetryPolicy {
  /** Attempts on one model before moving on (the first try included). */
  attemptsPerModel: number;
  /** Overload is shared by all users: give up on the model sooner. */
  overloadedAttempts: number;
  baseDelayMs: number;
  overloadedBaseDelayMs: number;
  maxBackoffMs: number;
  /** A provider asking for a longer wait than this is not waited for: the next model is tried. */
  maxWaitMs: number;
  /** With another model ready, a wait longer than this is not worth it either: that model is tried. */
  readyFallbackWaitMs: number;
  /** A model that timed out is retried like any transient failure, even with another model ready. */
  retryTimeouts: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attemptsPerModel: 3,
  overloadedAttempts: 2,
  baseDelayMs: 500,
  overloadedBaseDelayMs: 1000,
  maxBackoffMs: 8000,
  maxWaitMs: 30_000,
  readyFallbackWaitMs: 5_000,
  retryTimeouts: false,
};

export type Decision = { kind: 'retry'; delayMs: number } | { kind: 'fallback'; reason: string } | { kind: 'fail' };

export interface AttemptOutcome {
  classification: Classification;
  /**
   * Attempts made on this model so far that count against its budget, this one included when it
   * counts (a rate limit our own concurrency explains does not: see router.ts), so it may be 0.
   */
  attempts: number;
  /** Text already reached the consumer: retrying the same stream would duplicate it. */
  outputStarted: boolean;
  /** A later model in the chain can be tried now (it is not cooling down). */
  nextModelReady: boolean;
}

export function decide(outcome: AttemptOutcome, policy: RetryPolicy, random: () => number): Decision {
  const { classification, attempts } = outcome;
  if (classification.action === 'fail') return { kind: 'fail' };
  if (classification.action === 'fallback') return { kind: 'fallback', reason: classification.errorClass };
  if (outcome.outputStarted) return { kind: 'fallback', reason: 'the stream failed after text was sent' };
  const overloaded = classification.errorClass === 'overloaded';
  // Overload is everyone's: another model answers sooner than a backoff on this one (the cooldown then
  // rests it across requests). With nothing else to try, wait and retry.
  if (overloaded && outcome.nextModelReady) return { kind: 'fallback', reason: 'overloaded, and another model is ready' };
  // A model that did not answer in time will most likely not the next time either: with another one
  // ready, that one is asked at once; the same model is tried again only when it is the last hope.
  if (classification.errorClass === 'timeout' && outcome.nextModelReady && !policy.retryTimeouts) return { kind: 'fallback', reason: 'timed out, and another model is ready' };
  if (attempts >= (overloaded ? policy.overloadedAttempts : policy.attemptsPerModel)) return { kind: 'fallback', reason: `${classification.errorClass} after ${attempts} attempts` };
  if (classification.retryAfterMs !== undefined) {
    if (classification.retryAfterMs > policy.maxWaitMs) return { kind: 'fallback', reason: `the provider asked to wait ${Math.round(classification.retryAfterMs / 1000)} s` };
    if (classification.retryAfterMs > policy.readyFallbackWaitMs && outcome.nextModelReady) return { kind: 'fallback', reason: `the provider asked to wait ${Math.round(classification.retryAfterMs / 1000)} s, and another model is ready` };
    // Up to a fifth more than asked, at random: parallel workers told the same wait do not all come
    // back in the same millisecond and meet the limit again.
    return { kind: 'retry', delayMs: Math.round(classification.retryAfterMs * (1 + 0.2 * random())) };
  }
  // Exponential backoff with full jitter.
  const ceiling = Math.min(policy.maxBackoffMs, (overloaded ? policy.overloadedBaseDelayMs : policy.baseDelayMs) * 2 ** Math.max(0, attempts - 1));
  return { kind: 'retry', delayMs: Math.round(random() * ceiling) };
}

/**
 * Whether a resting model that is the best left is worth waiting for: only a rest from a rate limit or
 * an overload (the provider's word, or a short default) that ends within the longest wait. A dead
 * endpoint, a spent quota or a bad key are not waited for.
 */
export function waitForRest(rest: Cooldown, waitMs: number, policy: RetryPolicy): boolean {
  return (rest.errorClass === 'rate_limit' || rest.errorClass === 'overloaded') && waitMs <= policy.maxWaitMs;
}
