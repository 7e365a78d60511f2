// How many requests one provider endpoint gets at once, learned AIMD-style as TCP learns a window: a
// rate limit halves the limit (never below 1), and each round of successes — as many as the limit —
// raises it by one, up to the configured ceiling. Growth per round rather than per success keeps the
// increase additive: per success, a full window of answers would double the limit each round.
// An endpoint with no ceiling starts unlimited; its first rate limit sets the limit to half of what was
// in flight then.

/** One request's place at an endpoint; end it exactly once, by the way its attempt ended. */
export interface Slot {
  /** The attempt was answered: a round of these raises the limit. */
  succeeded(): void;
  /**
   * The attempt was rate-limited: the limit is halved, once for all the requests sent under the old
   * limit. True when our own concurrency explains the limit: more requests were in flight with this
   * one than the endpoint is now allowed.
   */
  rateLimited(): boolean;
  /** The attempt ended any other way. */
  release(): void;
}

export interface AcquireOptions {
  signal: AbortSignal;
  /** While the endpoint stays full, how often `giveUp` is asked. */
  patienceMs: number;
  /** Asked every `patienceMs` while waiting: true leaves the queue without a slot (another model can answer). */
  giveUp(): boolean;
}

interface Held {
  /** The limit's epoch when it was sent: a rate limit halves only the limit it was sent under. */
  epoch: number;
  /** The most requests in flight at once while it was. */
  peak: number;
  ended: boolean;
}

interface Waiter {
  grant(held: Held): void;
}

export class ConcurrencyLimiter {
  private limitNow: number;
  private inFlight = 0;
  private epoch = 0;
  private successesThisRound = 0;
  private readonly held = new Set<Held>();
  private readonly waiting: Waiter[] = [];

  constructor(private ceilingNow: number = Number.POSITIVE_INFINITY) {
    this.limitNow = ceilingNow;
  }

  /** The current limit; Infinity while unlimited. */
  get limit(): number {
    return this.limitNow;
  }

  get ceiling(): number {
    return this.ceilingNow;
  }

  get active(): number {
    return this.inFlight;
  }

  /** A changed config: what was learned under the old ceiling no longer applies. */
  setCeiling(ceiling: number): void {
    if (ceiling === this.ceilingNow) return;
    this.ceilingNow = ceiling;
    this.limitNow = ceiling;
    this.successesThisRound = 0;
    this.grantWaiting();
  }

  hasFreeSlot(): boolean {
    return this.waiting.length === 0 && this.inFlight < this.limitNow;
  }

  /** A slot now, if one is free and nobody is ahead in the queue. */
  tryAcquire(): Slot | undefined {
    return this.hasFreeSlot() ? this.slot(this.take()) : undefined;
  }

  /**
   * A slot, in the order asked; undefined when `giveUp` said another model can answer instead.
   * Rejects with the signal's reason when it aborts while waiting.
   */
  acquire(options: AcquireOptions): Promise<Slot | undefined> {
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    const { signal } = options;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const leave = () => {
        clearInterval(timer);
        signal.removeEventListener('abort', abort);
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
      };
      const waiter: Waiter = {
        grant: (held) => {
          leave();
          resolve(this.slot(held));
        },
      };
      const abort = () => {
        leave();
        reject(signal.reason);
      };
      const timer = setInterval(() => {
        if (!options.giveUp()) return;
        leave();
        // Our leaving may free the head of the queue for someone behind us.
        this.grantWaiting();
        resolve(undefined);
      }, options.patienceMs);
      signal.addEventListener('abort', abort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private take(): Held {
    this.inFlight++;
    const held: Held = { epoch: this.epoch, peak: this.inFlight, ended: false };
    this.held.add(held);
    for (const other of this.held) other.peak = Math.max(other.peak, this.inFlight);
    return held;
  }

  private end(held: Held): boolean {
    if (held.ended) return false;
    held.ended = true;
    this.held.delete(held);
    this.inFlight--;
    return true;
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.inFlight < this.limitNow) this.waiting.shift()?.grant(this.take());
  }

  private slot(held: Held): Slot {
    return new HeldSlot(this, held);
  }

  /** @internal The slot's attempt was answered. */
  endSucceeded(held: Held): void {
    if (!this.end(held)) return;
    if (Number.isFinite(this.limitNow) && this.limitNow < this.ceilingNow && ++this.successesThisRound >= this.limitNow) {
      this.limitNow++;
      this.successesThisRound = 0;
    }
    this.grantWaiting();
  }

  /** @internal The slot's attempt was rate-limited; true when our concurrency explains it. */
  endRateLimited(held: Held): boolean {
    if (held.ended) return false;
    // In flight with this one, before it ends: the concurrency the endpoint refused.
    if (held.epoch === this.epoch) {
      this.limitNow = Math.max(1, Math.floor(Math.min(this.limitNow, this.inFlight) / 2));
      this.epoch++;
      this.successesThisRound = 0;
    }
    this.end(held);
    this.grantWaiting();
    return held.peak > this.limitNow;
  }

  /** @internal The slot's attempt ended any other way. */
  endReleased(held: Held): void {
    if (this.end(held)) this.grantWaiting();
  }
}

/** A class rather than closures: a slot is taken for every attempt. */
class HeldSlot implements Slot {
  constructor(
    private readonly limiter: ConcurrencyLimiter,
    private readonly held: Held,
  ) {}

  succeeded(): void {
    this.limiter.endSucceeded(this.held);
  }

  rateLimited(): boolean {
    return this.limiter.endRateLimited(this.held);
  }

  release(): void {
    this.limiter.endReleased(this.held);
  }
}
