// Model endpoints that keep failing are skipped for a while, across requests, so parallel workers do not
// all queue behind a rate-limited or broken model. Time comes from the caller.
import type { Classification } from '../providers/provider-error';

const RATE_LIMIT_COOLDOWN_MS = 30_000;
const OVERLOAD_COOLDOWN_MS = 15_000;
const QUOTA_COOLDOWN_MS = 10 * 60_000;
const REPEATED_FAILURE_COOLDOWN_MS = 30_000;
const FAILURES_BEFORE_COOLDOWN = 3;

export class Cooldowns {
  private readonly until = new Map<string, number>();
  private readonly consecutiveFailures = new Map<string, number>();

  /** When the endpoint can be used again, or undefined when it can now. */
  availableAt(endpoint: string, now: number): number | undefined {
    const until = this.until.get(endpoint);
    return until !== undefined && until > now ? until : undefined;
  }

  recordSuccess(endpoint: string): void {
    this.consecutiveFailures.delete(endpoint);
    this.until.delete(endpoint);
  }

  recordFailure(endpoint: string, classification: Classification, now: number): void {
    const failures = (this.consecutiveFailures.get(endpoint) ?? 0) + 1;
    this.consecutiveFailures.set(endpoint, failures);
    const cooldown = cooldownFor(classification, failures);
    if (cooldown !== undefined) this.until.set(endpoint, Math.max(this.until.get(endpoint) ?? 0, now + cooldown));
  }
}

function cooldownFor(classification: Classification, failures: number): number | undefined {
  switch (classification.errorClass) {
    case 'auth':
      // A bad key does not fix itself; restarting the server (a config change) clears it.
      return Number.POSITIVE_INFINITY;
    case 'quota_exhausted':
      return Math.max(classification.retryAfterMs ?? 0, QUOTA_COOLDOWN_MS);
    case 'rate_limit':
      return classification.retryAfterMs ?? RATE_LIMIT_COOLDOWN_MS;
    case 'overloaded':
      return classification.retryAfterMs ?? OVERLOAD_COOLDOWN_MS;
    case 'bad_request':
    case 'context_overflow':
    case 'content_filter':
      // About this request, not about the model.
      return undefined;
    default:
      return failures >= FAILURES_BEFORE_COOLDOWN ? REPEATED_FAILURE_COOLDOWN_MS : undefined;
  }
}
