// Everything a run needs before its first model call, the same for `et run` and `electrictown/run`:
// the config (and its hash), the settings checked, every role's chain resolved (so a config that
// cannot run fails before a folder exists or a token is spent), the run folder, the ledger, the router.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Environment } from '../config/env';
import type { ElectrictownConfig } from '../config/schema';
import { ledgerPath, loadConfigWithHash, logDirectory } from '../config/load-config';
import { secretValues } from '../config/secret-names';
import { LedgerWriter } from '../cost/ledger-writer';
import type { RunFlags, RunRecord } from '../protocol';
import { chainForRole, chainForSpecialist } from '../router/chain';
import { sharedHealth } from '../router/health-registry';
import { ModelRouter } from '../router/model-router';
import type { ClientLanguageModels } from '../providers/vscode/client-language-models';
import type { ProtectedPlace } from './containment';
import type { RunInput } from './engine';
import { newRunId, RunFolder } from './run-folder';
import { resolveRunSettings, type ResolvedFlags, type RunSettings } from './run-options';
import { newRunRecord } from './run-record';
import { findRunFolder, processAlive, readRecordFile } from './run-store';
import { resumedRound } from './follow-up/resumed-round';

export interface RunSetup {
  configFile: string;
  task: string;
  flags: RunFlags;
  /** A relative --output-dir is taken from here. */
  baseDirectory: string;
  environment: Environment;
  onLedgerError(error: unknown): void;
  /** Said once, and the run goes on: a shared endpoint health file that cannot be used. */
  onWarning?(message: string): void;
  /** The run's id when the caller chose it (`et mcp` names a run before its process starts); else a new one. */
  id?: string;
  /** How `type: vscode` providers reach the editor's models: the language server's client; else they cannot. */
  clientModels?: ClientLanguageModels;
}

export interface PreparedRun {
  input: RunInput;
  router: ModelRouter;
  ledger: LedgerWriter;
  logDirectory: string;
}

/** What a run never writes, wherever its output directory is: its own config and its log folder. */
export function runProtects(configFile: string, logs: string): ProtectedPlace[] {
  return [
    { path: configFile, reason: "it is the run's own config" },
    { path: logs, reason: "it writes into the run's log folder" },
  ];
}

const ignore = () => {};

/** A config that cannot fill the run's roles fails here, before a folder exists or a token is spent. */
function checkRoles(config: ElectrictownConfig, flags: ResolvedFlags): void {
  const roles = [flags.role, 'polecat', ...(flags.reviewer ? ['witness'] : []), ...(flags.refinery && flags.synthesize ? ['refinery'] : [])];
  for (const role of roles) chainForRole(config, role);
  if (flags.specialists) for (const name of Object.keys(config.specialists ?? {})) chainForSpecialist(config, name);
}

export interface CheckedRun {
  config: ElectrictownConfig;
  sha256: string;
  settings: RunSettings;
  logDirectory: string;
}

/**
 * The config loaded and the run's settings checked, roles and all, with nothing created: what
 * `prepareRun` does before the folder, for a caller that must refuse a run before it starts one.
 */
export async function checkRun(setup: Pick<RunSetup, 'configFile' | 'task' | 'flags' | 'baseDirectory' | 'environment'>): Promise<CheckedRun> {
  const { config, sha256 } = await loadConfigWithHash(setup.configFile, setup.environment);
  const settings = resolveRunSettings(setup.task, setup.flags, config, setup.baseDirectory);
  checkRoles(config, settings.flags);
  return { config, sha256, settings, logDirectory: logDirectory(setup.configFile, config, setup.environment) };
}

export async function prepareRun(setup: RunSetup): Promise<PreparedRun> {
  const { config, sha256, settings, logDirectory: logs } = await checkRun(setup);
  const id = setup.id ?? newRunId();
  const started = new Date();
  const configFile = { path: setup.configFile, sha256 };
  const folder = await RunFolder.create(logs, id, started, (directory) => newRunRecord({ id, settings, config: configFile, folder: directory, startedAt: started, pid: process.pid }));
  const ledger = new LedgerWriter(ledgerPath(setup.configFile, config, setup.environment), setup.onLedgerError);
  const router = new ModelRouter({ config, environment: setup.environment, ledger, health: sharedHealth(logs, setup.onWarning ?? ignore), logDirectory: logs, clientModels: setup.clientModels });
  return { input: { id, settings, config, configFile, folder, protect: runProtects(setup.configFile, logs), secrets: secretValues(config, setup.environment) }, router, ledger, logDirectory: logs };
}

/** The run cannot be continued; the message says why. */
export class ResumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResumeError';
  }
}

export interface ResumeSetup {
  /** A run folder, or a run id found in the log directory of `configFile`'s config. */
  run: string;
  /** Where an id is looked up (the config's log directory) and relative paths start. */
  configFile: string | undefined;
  baseDirectory: string;
  environment: Environment;
  onLedgerError(error: unknown): void;
  /** As RunSetup.onWarning. */
  onWarning?(message: string): void;
  /** A new budget for the rest of the run (USD, counting what it spent before); else the one it had. */
  budgetUsd?: number;
  /** As RunSetup.clientModels. */
  clientModels?: ClientLanguageModels;
}

export interface PreparedResume extends PreparedRun {
  /** Said to the user before the run goes on (a config that changed since). */
  warnings: string[];
}

export async function runFolderFor(setup: ResumeSetup): Promise<string> {
  const given = path.resolve(setup.baseDirectory, setup.run);
  if (/[/\\]/.test(setup.run) || (await stat(given).then((info) => info.isDirectory()).catch(() => false))) return given;
  if (setup.configFile === undefined) throw new ResumeError(`no config to find run ${setup.run} in; give the run's folder instead`);
  const { config } = await loadConfigWithHash(setup.configFile, setup.environment);
  return findRunFolder(logDirectory(setup.configFile, config, setup.environment), setup.run);
}

/**
 * Everything to continue a run from its folder: its record (refused when it is not whole — never
 * guessed), its config, and the answers its finished subtasks gave, which are not asked for again.
 */
export async function prepareResume(setup: ResumeSetup): Promise<PreparedResume> {
  const directory = await runFolderFor(setup);
  const record = await readRecordFile(directory).catch((error: unknown) => {
    throw new ResumeError(`${error instanceof Error ? error.message : String(error)}; the run cannot be resumed from it`);
  });
  if (record.status === 'succeeded') throw new ResumeError(`run ${record.id} succeeded: there is nothing to resume (to refine it, give the refinement: et run --resume ${record.id} "REFINEMENT")`);
  if (record.status === 'running' && record.pid !== process.pid && processAlive(record.pid)) throw new ResumeError(`run ${record.id} is still running (process ${record.pid})`);
  const { config, sha256, settings, warnings } = await reopenedSettings(record, setup);
  const folder = await RunFolder.open(directory);
  const answers = await folder.answers();
  const round = await resumedRound(record, folder, answers);
  const { ledger, router } = runRouting(record, config, setup, directory);
  return {
    input: { id: record.id, settings, config, configFile: { path: record.config.path, sha256 }, folder, resume: { record, answers, ...(round ? { round } : {}) }, protect: runProtects(record.config.path, path.dirname(directory)), secrets: secretValues(config, setup.environment) },
    router,
    ledger,
    logDirectory: path.dirname(directory),
    warnings,
  };
}

/** The ledger and router of a run taken up again from its folder. */
export function runRouting(record: RunRecord, config: ElectrictownConfig, setup: Pick<ResumeSetup, 'environment' | 'onLedgerError' | 'onWarning' | 'clientModels'>, directory: string): { ledger: LedgerWriter; router: ModelRouter } {
  const ledger = new LedgerWriter(ledgerPath(record.config.path, config, setup.environment), setup.onLedgerError);
  const router = new ModelRouter({ config, environment: setup.environment, ledger, health: sharedHealth(path.dirname(directory), setup.onWarning ?? ignore), logDirectory: path.dirname(directory), clientModels: setup.clientModels });
  return { ledger, router };
}

/**
 * The settings a run goes on with: its own, from its record, under its config as it is now (said when it
 * changed), with a budget given now (or a defaults.budget_usd raised since) and `iterate` when asked.
 */
export async function reopenedSettings(record: RunRecord, setup: Pick<ResumeSetup, 'environment' | 'baseDirectory' | 'budgetUsd'> & { iterate?: boolean; approvePlan?: boolean }): Promise<{ config: ElectrictownConfig; sha256: string; settings: RunSettings; warnings: string[] }> {
  const warnings: string[] = [];
  const { config, sha256 } = await loadConfigWithHash(record.config.path, setup.environment);
  if (sha256 !== record.config.sha256) warnings.push(`${record.config.path} changed since the run started; the run goes on with it as it is now`);
  const { budgetUsd, buildCommand, subtaskBudgetUsd, maxTurns, ...rest } = record.flags;
  // A budget given now wins; else a defaults.budget_usd raised since the run stopped at its budget.
  const raisedDefault = config.defaults?.budget_usd;
  const budget = setup.budgetUsd ?? (budgetUsd !== null && raisedDefault !== undefined && raisedDefault > budgetUsd ? raisedDefault : budgetUsd);
  const limits = { ...(subtaskBudgetUsd == null ? {} : { subtaskBudgetUsd }), ...(maxTurns == null ? {} : { maxTurns }) };
  const settings = resolveRunSettings(record.task, { ...rest, ...limits, outputDir: record.outputDir, ...(budget === null ? {} : { budgetUsd: budget }), ...(buildCommand === null ? {} : { buildCommand }), ...(setup.iterate ? { iterate: true } : {}), ...(setup.approvePlan ? { approvePlan: true } : {}) }, config, setup.baseDirectory);
  if (budget !== null && budget !== budgetUsd) warnings.push(`the budget is now $${budget.toFixed(2)}${setup.budgetUsd === undefined ? ' (defaults.budget_usd)' : ''} (it was ${budgetUsd === null ? 'none' : `$${budgetUsd.toFixed(2)}`}); $${record.totals.usd.toFixed(4)} is spent already`);
  checkRoles(config, settings.flags);
  return { config, sha256, settings, warnings };
}
