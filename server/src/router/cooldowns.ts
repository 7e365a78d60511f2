// Model endpoints that keep failing are skipped for a while, across requests, so parallel workers do not
// all queue behind a rate-limited or broken model. Time comes from the caller.
import type { Classification, ErrorClass } from '../providers/provider-error';

const RATE_LIMIT_COOLDOWN_MS = 30_000;
const OVERLOAD_COOLDOWN_MS = 15_000;
const QUOTA_COOLDOWN_MS = 10 * 60_000;
const REPEATED_FAILURE_COOLDOWN_MS = 30_000;
const FAILURES_BEFORE_COOLDOWN = 3;
/** However long a provider asks for: a quota that resets tomorrow is looked at again within the hour. */
export const LONGEST_COOLDOWN_MS = 60 * 60_000;

/** An endpoint resting: until when, and why. */
export interface Cooldown {
  until: number;
  errorClass: ErrorClass;
}

/** What is known about an endpoint, and when it was learned: the later word wins between processes. */
export interface CooldownRecord {
  /** Undefined once the endpoint answered again. */
  cooldown: Cooldown | undefined;
  updated: number;
}

export interface FailureContext {
  /** A rate limit that our own number of requests in flight explains: the concurrency limiter handles it. */
  concurrencyExplains?: boolean;
}

export class Cooldowns {
  private readonly records = new Map<string, CooldownRecord>();
  private readonly consecutiveFailures = new Map<string, number>();

  /** The endpoint's rest, while it lasts. */
  cooldown(endpoint: string, now: number): Cooldown | undefined {
    const cooldown = this.records.get(endpoint)?.cooldown;
    return cooldown !== undefined && cooldown.until > now ? cooldown : undefined;
  }

  /** When the endpoint can be used again, or undefined when it can now. */
  availableAt(endpoint: string, now: number): number | undefined {
    return this.cooldown(endpoint, now)?.until;
  }

  record(endpoint: string): CooldownRecord | undefined {
    return this.records.get(endpoint);
  }

  /** True when this ended a rest that was still on: others may want to know. */
  recordSuccess(endpoint: string, now = 0): boolean {
    this.consecutiveFailures.delete(endpoint);
    const resting = this.cooldown(endpoint, now) !== undefined;
    if (this.records.has(endpoint)) this.records.set(endpoint, { cooldown: undefined, updated: now });
    return resting;
  }

  /** The rest this failure started or lengthened; undefined when it started none. */
  recordFailure(endpoint: string, classification: Classification, now: number, context: FailureContext = {}): Cooldown | undefined {
    const failures = (this.consecutiveFailures.get(endpoint) ?? 0) + 1;
    this.consecutiveFailures.set(endpoint, failures);
    const duration = cooldownFor(classification, failures, context);
    if (duration === undefined) return undefined;
    const current = this.cooldown(endpoint, now);
    const until = Math.max(current?.until ?? 0, now + duration);
    const cooldown: Cooldown = { until, errorClass: current && current.until >= now + duration ? current.errorClass : classification.errorClass };
    this.records.set(endpoint, { cooldown, updated: now });
    return cooldown;
  }

  /** Another process's word on the endpoint, taken when it is newer than ours. */
  adopt(endpoint: string, record: CooldownRecord): void {
    const ours = this.records.get(endpoint);
    if (ours && ours.updated >= record.updated) return;
    this.records.set(endpoint, record);
    if (record.cooldown === undefined) this.consecutiveFailures.delete(endpoint);
  }
}

function cooldownFor(classification: Classification, failures: number, context: FailureContext): number | undefined {
  switch (classification.errorClass) {
    case 'auth':
      // A bad key does not fix itself; a new router (the next run, a changed config) asks again.
      return Number.POSITIVE_INFINITY;
    case 'quota_exhausted':
      return Math.min(LONGEST_COOLDOWN_MS, Math.max(classification.retryAfterMs ?? 0, QUOTA_COOLDOWN_MS));
    case 'rate_limit':
      // The provider's own word holds for everyone; without it, a limit that fewer requests at once
      // would avoid is the concurrency limiter's business, not a reason to rest the endpoint.
      if (classification.retryAfterMs !== undefined) return Math.min(LONGEST_COOLDOWN_MS, classification.retryAfterMs);
      return context.concurrencyExplains ? undefined : RATE_LIMIT_COOLDOWN_MS;
    case 'overloaded':
      return Math.min(LONGEST_COOLDOWN_MS, classification.retryAfterMs ?? OVERLOAD_COOLDOWN_MS);
    case 'bad_request':
    case 'context_overflow':
    case 'content_filter':
      // About this request, not about the model.
      return undefined;
    default:
      return failures >= FAILURES_BEFORE_COOLDOWN ? REPEATED_FAILURE_COOLDOWN_MS : undefined;
  }
}
