// A run's spending limit. A call may start only while what the run has recorded, plus the least the
// call will cost (its prompt), stays within the budget; once refused, every later call is too, so a run
// stops cleanly rather than trickling on. Calls already under way finish: what they cost is spent
// either way. Unpriced models cannot be counted and are reported, not guessed. Pure.
export class Budget {
  private spentUsd: number;
  private reached = false;

  /** `spentUsd`: what the run spent before (a resumed run's budget counts it). */
  constructor(
    readonly limitUsd: number | null,
    spentUsd = 0,
  ) {
    this.spentUsd = spentUsd;
  }

  get spent(): number {
    return this.spentUsd;
  }

  get exceeded(): boolean {
    return this.reached;
  }

  /** Whether a call whose prompt alone costs `leastUsd` may start. */
  allows(leastUsd: number): boolean {
    if (this.limitUsd === null) return true;
    if (!this.reached && (this.spentUsd >= this.limitUsd || this.spentUsd + leastUsd > this.limitUsd)) this.reached = true;
    return !this.reached;
  }

  record(usd: number | null): void {
    if (usd !== null) this.spentUsd += usd;
  }
}

export class BudgetReachedError extends Error {
  constructor(limitUsd: number, spentUsd: number) {
    super(`the budget of $${limitUsd.toFixed(2)} is reached ($${spentUsd.toFixed(4)} spent)`);
    this.name = 'BudgetReachedError';
  }
}
