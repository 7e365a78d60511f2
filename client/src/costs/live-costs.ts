// The Costs view's totals and the status bar's spend, kept up as calls land: each call a run reports
// (`attempt-end`) is added to today's, the last 7 days' and all time's totals and to its role's,
// provider's and model's rows. The ledger, read again when a run ends, gives the exact figures (a call
// that never reached its provider is not in the ledger, and what the prompt cache saved is priced there).
// Pure.
import type { CostRow, RunAttempt } from '../../../server/src/protocol';
import type { CostsSnapshot, Grouping } from './costs-model';

const emptyRow = (key: string): CostRow => ({ key, attempts: 0, answered: 0, inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, cachedShare: 0, outputTokens: 0, usd: 0, cacheSavedUsd: 0, unpricedAttempts: 0, estimatedAttempts: 0 });

function add(row: CostRow, call: RunAttempt): void {
  row.attempts++;
  if (call.outcome === 'ok') row.answered++;
  row.inputTokens += call.tokens.input;
  row.cachedInputTokens += call.tokens.cachedInput;
  row.cachedShare = row.inputTokens === 0 ? 0 : row.cachedInputTokens / row.inputTokens;
  row.outputTokens += call.tokens.output;
  if (call.usd === null) row.unpricedAttempts++;
  else row.usd += call.usd;
  if (call.estimated) row.estimatedAttempts++;
}

const GROUPINGS: readonly Grouping[] = ['role', 'provider', 'model'];

const keyOf = (call: RunAttempt, grouping: Grouping) => (grouping === 'role' ? call.role : grouping === 'provider' ? call.provider : call.reference);

/** Whether the call reached its provider (one that did not costs nothing and is not in the ledger). */
export const reachedProvider = (call: RunAttempt) => call.outcome !== 'skipped' && (call.usd !== 0 || call.tokens.input + call.tokens.output > 0);

/**
 * Adds the calls to the snapshot, in place, and says whether it did: a snapshot read on an earlier day
 * has a stale "today", and is left for the ledger to be read again.
 */
export function addCalls(snapshot: CostsSnapshot, calls: readonly RunAttempt[], now: Date): boolean {
  const read = new Date(snapshot.readAt);
  if (read.toDateString() !== now.toDateString()) return false;
  for (const call of calls) {
    if (!reachedProvider(call)) continue;
    for (const period of snapshot.periods) {
      add(period.total, call);
      for (const grouping of GROUPINGS) {
        const rows = period.by[grouping];
        const key = keyOf(call, grouping);
        let row = rows.find((candidate) => candidate.key === key);
        if (!row) rows.push((row = emptyRow(key)));
        add(row, call);
      }
    }
  }
  for (const period of snapshot.periods) for (const rows of Object.values(period.by)) rows.sort((a, b) => b.usd - a.usd || a.key.localeCompare(b.key));
  return true;
}
