// Everything a run needs before its first model call, the same for `et run` and `electrictown/run`:
// the config (and its hash), the settings checked, every role's chain resolved (so a config that
// cannot run fails before a folder exists or a token is spent), the run folder, the ledger, the router.
import type { Environment } from '../config/env';
import { ledgerPath, loadConfigWithHash, logDirectory } from '../config/load-config';
import { LedgerWriter } from '../cost/ledger-writer';
import type { RunFlags } from '../protocol';
import { chainForRole, chainForSpecialist } from '../router/chain';
import { ModelRouter } from '../router/model-router';
import type { RunInput } from './engine';
import { newRunId, RunFolder } from './run-folder';
import { resolveRunSettings } from './run-options';

export interface RunSetup {
  configFile: string;
  task: string;
  flags: RunFlags;
  /** A relative --output-dir is taken from here. */
  baseDirectory: string;
  environment: Environment;
  onLedgerError(error: unknown): void;
}

export interface PreparedRun {
  input: RunInput;
  router: ModelRouter;
  ledger: LedgerWriter;
  logDirectory: string;
}

export async function prepareRun(setup: RunSetup): Promise<PreparedRun> {
  const { config, sha256 } = await loadConfigWithHash(setup.configFile, setup.environment);
  const settings = resolveRunSettings(setup.task, setup.flags, config, setup.baseDirectory);
  const { flags } = settings;
  const roles = [flags.role, 'polecat', ...(flags.reviewer ? ['witness'] : []), ...(flags.refinery && flags.synthesize ? ['refinery'] : [])];
  for (const role of roles) chainForRole(config, role);
  if (flags.specialists) for (const name of Object.keys(config.specialists ?? {})) chainForSpecialist(config, name);
  const logs = logDirectory(setup.configFile, config, setup.environment);
  const id = newRunId();
  const folder = await RunFolder.create(logs, id, new Date());
  const ledger = new LedgerWriter(ledgerPath(setup.configFile, config, setup.environment), setup.onLedgerError);
  const router = new ModelRouter({ config, environment: setup.environment, ledger });
  return { input: { id, settings, config, configFile: { path: setup.configFile, sha256 }, folder }, router, ledger, logDirectory: logs };
}
