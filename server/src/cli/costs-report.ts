// `et costs` output: the ledger's totals as an aligned table, unpriced and estimated attempts flagged
// rather than folded into the dollars, and what the providers' prompt caches served and saved. Pure.
import type { Summary, SummaryKey, SummaryRow } from '../cost/ledger';

const HEADINGS: Record<SummaryKey, string> = { role: 'ROLE', provider: 'PROVIDER', model: 'MODEL', run: 'RUN' };

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

function costCell(row: SummaryRow): string {
  if (row.unpricedAttempts === row.attempts) return 'unpriced';
  return row.unpricedAttempts > 0 ? `${formatUsd(row.usd)} + ${row.unpricedAttempts} unpriced` : formatUsd(row.usd);
}

const count = (value: number) => value.toLocaleString('en-US');

function percent(share: number): string {
  return share > 0 && share < 0.01 ? 'under 1%' : `${Math.round(share * 100)}%`;
}

/** What the prompt cache did for these attempts, when it did anything: the input it served, and the saving. */
export function describeCache(row: SummaryRow): string | undefined {
  if (row.cachedInputTokens + row.cacheWriteTokens === 0) return undefined;
  const parts = [`${percent(row.cachedShare)} of input read from the prompt cache (${count(row.cachedInputTokens)} of ${count(row.inputTokens)} tokens${row.cacheWriteTokens > 0 ? `; ${count(row.cacheWriteTokens)} written to it` : ''})`];
  if (row.cacheSavedUsd > 0) parts.push(`saved ${formatUsd(row.cacheSavedUsd)} against no caching (${formatUsd(row.usd + row.cacheSavedUsd)} without it)`);
  else if (row.cacheSavedUsd < 0) parts.push(`cost ${formatUsd(-row.cacheSavedUsd)} more than no caching, for writes not read back yet`);
  return `cache: ${parts.join(', ')}`;
}

export function formatCostTable(summary: Summary, by: SummaryKey): string {
  const header = [HEADINGS[by], 'ATTEMPTS', 'ANSWERED', 'INPUT', 'CACHED', 'OUTPUT', 'COST'];
  const cells = (row: SummaryRow) => [row.key, count(row.attempts), count(row.answered), count(row.inputTokens), count(row.cachedInputTokens), count(row.outputTokens), costCell(row)];
  const table = [header, ...summary.rows.map(cells), cells(summary.total)];
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column].length)));
  // The key column reads left to right; numbers line up on the right.
  const line = (row: string[]) => row.map((cell, column) => (column === 0 || column === row.length - 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  const lines = table.map(line);
  const cache = describeCache(summary.total);
  if (cache !== undefined) lines.push(cache);
  const notes: string[] = [];
  if (summary.total.unpricedAttempts > 0) notes.push(`${summary.total.unpricedAttempts} attempt(s) used models with no known price: add pricing to their aliases in the config`);
  if (summary.total.estimatedAttempts > 0) notes.push(`${summary.total.estimatedAttempts} attempt(s) were cut short and are counted at an estimate`);
  const interrupted = summary.total.interruptedAttempts ?? 0;
  if (interrupted > 0) notes.push(`${interrupted} attempt(s) were under way when their process was killed: what they cost is unknown and not in the totals`);
  return `${lines.join('\n')}\n${notes.map((note) => `note: ${note}\n`).join('')}`;
}
