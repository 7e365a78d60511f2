// A config's spending: its ledger found (beside its runs) and summed through its index — what `et
// costs`, the language server's `electrictown/costs` and et mcp's `costs` tool all answer.
import type { Environment } from '../config/env';
import { ledgerPath, loadConfig } from '../config/load-config';
import type { Summary, SummaryKey } from './ledger';
import { ledgerCosts } from './ledger-index';

export interface ConfigCosts extends Summary {
  /** The ledger file read. */
  ledger: string;
  /** Lines that could not be read (a write cut short) and were left out. */
  skippedLines: number;
}

export async function configCosts(configFile: string, environment: Environment, by: SummaryKey, since: Date | undefined): Promise<ConfigCosts> {
  const ledger = ledgerPath(configFile, await loadConfig(configFile, environment), environment);
  return { ledger, ...(await ledgerCosts(ledger, by, since)) };
}
