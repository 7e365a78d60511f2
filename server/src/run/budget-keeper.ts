// The limits on a run's spending as its calls meet them: the run's budget (a ceiling, see budget.ts),
// which the user may raise when it is reached — asked once, however many workers reach it together,
// while they wait — and each subtask's own cap (--subtask-budget) and turns (--max-turns), because one
// runaway worker is the common case. Nobody to ask, or no answer: the run stops as it always did.
import { Budget, BudgetReachedError } from './budget';

export interface BudgetQuestion {
  limitUsd: number;
  spentUsd: number;
  /** What the calls under way may still cost, at most. */
  reservedUsd: number;
  /** The worst case of the call that did not fit. */
  neededUsd: number;
  /** A limit to offer: double the old one, and at least room for a few more such calls. */
  suggestedUsd: number;
}

/** The new limit, or undefined to stop. */
export type AskToRaise = (question: BudgetQuestion) => Promise<number | undefined>;

/** A subtask reached its own limit: it fails, the run goes on. */
export class SubtaskLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubtaskLimitError';
  }
}

export interface SubtaskLimits {
  /** USD per subtask, all its calls together (--subtask-budget). */
  subtaskUsd: number | null;
  /** Model requests per subtask: its first answer, then continuations, corrections, revisions and fixes (--max-turns). */
  maxTurns: number | null;
}

const cents = (usd: number) => Math.ceil(usd * 100) / 100;
/** Dollars as a limit is written: in cents when it is whole cents ($0.50), else to a hundredth of a cent ($0.0050). */
const limitText = (usd: number) => `$${usd.toFixed(Math.abs(usd * 100 - Math.round(usd * 100)) < 1e-9 ? 2 : 4)}`;

export function suggestedLimit(question: Omit<BudgetQuestion, 'suggestedUsd'>): number {
  return cents(Math.max(question.limitUsd * 2, question.spentUsd + question.reservedUsd + question.neededUsd * 4));
}

export class BudgetKeeper {
  private asking: Promise<boolean> | undefined;
  private declined = false;
  private readonly subtaskBudgets = new Map<number, Budget>();
  private readonly turns = new Map<number, number>();
  /** Each raise the user agreed to, in order. */
  readonly raises: { fromUsd: number; toUsd: number }[] = [];

  constructor(
    readonly run: Budget,
    private readonly limits: SubtaskLimits,
    private readonly ask: AskToRaise | undefined,
  ) {}

  /** No new call may start: the budget was reached and not raised (a question under way is not a stop). */
  get stopped(): boolean {
    return this.run.exceeded && this.asking === undefined;
  }

  /** Whether a call whose prompt alone costs `leastUsd` may start, asking to raise the budget if need be. */
  async allows(leastUsd: number): Promise<boolean> {
    while (!this.run.allows(leastUsd)) if (!(await this.raise(leastUsd))) return false;
    return true;
  }

  /** Reserves an attempt's worst case on the run's budget, asking to raise it if need be. */
  async reserve(worstUsd: number): Promise<boolean> {
    while (!this.run.reserve(worstUsd)) if (!(await this.raise(worstUsd))) return false;
    return true;
  }

  /**
   * Reserves an attempt's worst case on its subtask's cap (throws SubtaskLimitError when it does not fit)
   * and on the run's budget (throws BudgetReachedError when it is reached and stays so; the subtask's
   * share is then given back).
   */
  async reserveAttempt(subtask: { index: number; spentUsd: number } | undefined, worstUsd: number): Promise<void> {
    if (subtask) this.reserveForSubtask(subtask.index, subtask.spentUsd, worstUsd);
    if (await this.reserve(worstUsd)) return;
    if (subtask) this.subtaskBudgets.get(subtask.index)?.settle(worstUsd, 0);
    throw new BudgetReachedError(this.run.limitUsd ?? 0, this.run.spent);
  }

  /** A new request for a subtask: throws SubtaskLimitError past --max-turns. */
  takeTurn(subtask: number): void {
    const taken = (this.turns.get(subtask) ?? 0) + 1;
    if (this.limits.maxTurns !== null && taken > this.limits.maxTurns) throw new SubtaskLimitError(`subtask ${subtask} used its ${this.limits.maxTurns} turn${this.limits.maxTurns === 1 ? '' : 's'} (--max-turns)`);
    this.turns.set(subtask, taken);
  }

  private reserveForSubtask(subtask: number, spentUsd: number, worstUsd: number): void {
    if (this.limits.subtaskUsd === null) return;
    let budget = this.subtaskBudgets.get(subtask);
    if (!budget) this.subtaskBudgets.set(subtask, (budget = new Budget(this.limits.subtaskUsd, spentUsd)));
    if (!budget.reserve(worstUsd)) throw new SubtaskLimitError(`subtask ${subtask} reached its budget of ${limitText(this.limits.subtaskUsd)} ($${budget.spent.toFixed(4)} spent; --subtask-budget)`);
  }

  /** An attempt ended: its reservations become what it cost. */
  settle(subtask: number | undefined, reservedUsd: number, usd: number | null): void {
    this.run.settle(reservedUsd, usd);
    if (subtask !== undefined) this.subtaskBudgets.get(subtask)?.settle(reservedUsd, usd);
  }

  private raise(neededUsd: number): Promise<boolean> {
    const limitUsd = this.run.limitUsd;
    if (!this.ask || this.declined || limitUsd === null) return Promise.resolve(false);
    this.asking ??= this.askOnce(limitUsd, neededUsd).finally(() => (this.asking = undefined));
    return this.asking;
  }

  private async askOnce(limitUsd: number, neededUsd: number): Promise<boolean> {
    const facts = { limitUsd, spentUsd: this.run.spent, reservedUsd: this.run.reserved, neededUsd };
    let answer: number | undefined;
    try {
      answer = await this.ask?.({ ...facts, suggestedUsd: suggestedLimit(facts) });
    } catch {
      answer = undefined;
    }
    if (answer === undefined || !Number.isFinite(answer) || answer <= limitUsd) {
      this.declined = true;
      return false;
    }
    this.run.raise(answer);
    this.raises.push({ fromUsd: limitUsd, toUsd: answer });
    return true;
  }
}
