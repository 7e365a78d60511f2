// A config's spending: its ledger found (beside its runs), read and summed — what `et costs`, the
// language server's `electrictown/costs` and et mcp's `costs` tool all answer.
import type { Environment } from '../config/env';
import { ledgerPath, loadConfig } from '../config/load-config';
import { readLedger, summarize, type Summary, type SummaryKey } from './ledger';

export interface ConfigCosts extends Summary {
  /** The ledger file read. */
  ledger: string;
  /** Lines that could not be read (a write cut short) and were left out. */
  skippedLines: number;
}

export async function configCosts(configFile: string, environment: Environment, by: SummaryKey, since: Date | undefined): Promise<ConfigCosts> {
  const ledger = ledgerPath(configFile, await loadConfig(configFile, environment), environment);
  const contents = await readLedger(ledger);
  return { ledger, skippedLines: contents.skippedLines, ...summarize(contents.entries, by, since) };
}
