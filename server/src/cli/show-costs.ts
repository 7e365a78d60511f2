// `et costs`: reads the config's ledger and prints its totals.
import type { SummaryKey } from '../cost/ledger';
import { ledgerCosts } from '../cost/ledger-index';
import type { CliContext } from './context';
import { formatCostTable } from './costs-report';
import { ledgerPath, loadConfig } from '../config/load-config';

export interface CostsRequest {
  configFile: string;
  by: SummaryKey;
  since: Date | undefined;
  /** The --since value as the user wrote it, for messages. */
  sinceText: string | undefined;
  json: boolean;
  context: CliContext;
}

export async function showCosts(request: CostsRequest): Promise<void> {
  const { context } = request;
  const ledger = ledgerPath(request.configFile, await loadConfig(request.configFile, context.env), context.env);
  const { skippedLines, ...summary } = await ledgerCosts(ledger, request.by, request.since);
  if (skippedLines > 0) context.stderr(`warning: ${ledger}: ${skippedLines} unreadable line(s) skipped\n`);
  if (request.json) {
    context.stdout(`${JSON.stringify({ ledger, by: request.by, since: request.since?.toISOString() ?? null, ...summary, skippedLines }, null, 2)}\n`);
    return;
  }
  if (summary.total.attempts === 0) {
    context.stderr(`no costs recorded in ${ledger}${request.sinceText ? ` since ${request.sinceText}` : ''}\n`);
    return;
  }
  context.stdout(formatCostTable(summary, request.by));
}
