// Every model call of a run: the budget asked first (the prompt alone must fit), each attempt's worst
// case reserved before it is sent and settled when it ends, a worker's turns counted, and every attempt
// recorded on its subtask or phase, in the run's totals and as events, as it lands.
import type { ChatMessage } from '../providers/language-model';
import { estimatePromptTokens } from '../providers/token-estimate';
import type { PhaseRecord, RunEvent, RunRecord } from '../protocol';
import type { Chain } from '../router/chain';
import type { RoutedResult } from '../router/router';
import { BudgetReachedError, leastPromptUsd, worstCase } from './budget';
import type { BudgetKeeper } from './budget-keeper';
import type { RunRouter } from './engine';
import { addToSpend, recordAttempt, runAttempt, runSpend } from './run-record';
import type { CallSpec } from './subtask-worker';

export interface RunCallsContext {
  readonly router: RunRouter;
  readonly budget: BudgetKeeper;
  readonly record: RunRecord;
  readonly signal: AbortSignal;
  emit(event: RunEvent): void;
  warn(message: string): void;
  save(): void;
}

export class RunCalls {
  /** Models already warned about as unpriced: once a run each. */
  private readonly unpricedWarned = new Set<string>();

  constructor(private readonly context: RunCallsContext) {}

  async call(spec: CallSpec, phase?: PhaseRecord): Promise<RoutedResult> {
    const { router, budget, record, signal } = this.context;
    signal.throwIfAborted();
    if (!(await budget.allows(this.leastCostUsd(spec.chain, spec.messages)))) throw new BudgetReachedError(budget.run.limitUsd ?? 0, budget.run.spent);
    signal.throwIfAborted();
    const subtask = spec.subtask;
    // The worker's turns: its reviews are the witness's, not its own.
    if (subtask && spec.role === 'polecat') budget.takeTurn(subtask.index);
    // The attempt under way's reservation: a request's attempts run one after another.
    let reserved = 0;
    return router.request(
      {
        target: { role: spec.role },
        messages: spec.messages,
        signal,
        stream: spec.stream,
        runId: record.id,
        tags: { subtask: subtask?.index, purpose: spec.purpose },
        admit: async ({ entry, promptTokens, maxTokens }) => {
          if (budget.run.limitUsd === null && (subtask === undefined || record.flags.subtaskBudgetUsd == null)) return undefined;
          const worst = worstCase(router.pricingFor(entry)?.pricing, promptTokens, maxTokens, spec.messages.some((message) => message.cacheBreakpoint === true));
          await budget.reserveAttempt(subtask && { index: subtask.index, spentUsd: subtask.spend.usd }, worst.usd);
          reserved = worst.usd;
          return { maxTokens: worst.cap };
        },
        onEvent: (event) => {
          if (event.type === 'text-delta') {
            if (subtask) this.context.emit({ kind: 'text-delta', subtask: subtask.index, text: event.text });
          } else if (event.type === 'restart') {
            if (subtask) this.context.emit({ kind: 'text-restart', subtask: subtask.index, discardedChars: event.discardedChars });
          } else if (event.type === 'attempt-end') {
            const attempt = runAttempt(event, spec.purpose, spec.role);
            (subtask?.attempts ?? phase?.attempts)?.push(attempt);
            if (subtask) addToSpend(subtask.spend, attempt);
            recordAttempt(record, attempt);
            budget.settle(subtask?.index, reserved, attempt.usd);
            reserved = 0;
            this.context.emit({ kind: 'attempt-end', subtask: subtask?.index, ...attempt });
            this.context.emit({ kind: 'cost-update', spend: runSpend(record), budgetUsd: record.flags.budgetUsd });
            if (attempt.usd === null && record.flags.budgetUsd !== null && !this.unpricedWarned.has(attempt.reference)) {
              this.unpricedWarned.add(attempt.reference);
              this.context.warn(`${attempt.reference} has no known price: the budget cannot count what it costs`);
            }
            this.context.save();
          }
        },
      },
      spec.chain,
    );
  }

  /** What the prompt alone will cost on the chain's first model: the least the call can cost. */
  private leastCostUsd(chain: Chain, messages: readonly ChatMessage[]): number {
    const first = chain.entries[0] ?? chain.pool[0];
    return leastPromptUsd(first ? this.context.router.pricingFor(first)?.pricing : undefined, estimatePromptTokens(messages));
  }
}
