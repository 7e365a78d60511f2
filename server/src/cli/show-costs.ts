// `et costs`: reads the config's ledger and prints its totals.
import { configCosts } from '../cost/config-costs';
import type { SummaryKey } from '../cost/ledger';
import type { CliContext } from './context';
import { formatCostTable } from './costs-report';

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
  const { ledger, skippedLines, ...summary } = await configCosts(request.configFile, context.env, request.by, request.since);
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
