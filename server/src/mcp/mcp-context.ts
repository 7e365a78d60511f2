// What et mcp's tools need from where the server runs: its workspace (the working directory the
// client started it in), environment, config and how to start `et` again.
import { existsSync } from 'node:fs';
import { CliError } from '../cli/context';
import { discoverConfig } from '../config/discover';
import { loadConfig, logDirectory } from '../config/load-config';
import type { ElectrictownConfig } from '../config/schema';

export interface McpContext {
  /** The workspace: relative paths start here. */
  cwd: string;
  environment: NodeJS.ProcessEnv;
  /** `et --config PATH mcp`; else the config is found as every command finds it. */
  configPath: string | undefined;
  /** How to run this `et` (node and the bundle), for the runs' processes. */
  self: readonly string[] | undefined;
  /** Runs at once; more wait in line. */
  maxRuns: number;
  /** To stderr: stdout is the protocol's. */
  warn(message: string): void;
}

/** The config file, found each call (it may be created or fixed while the server runs). */
export function configFileOf(context: McpContext): string {
  const discovery = discoverConfig({ explicitPath: context.configPath, cwd: context.cwd, home: context.environment.HOME, exists: existsSync });
  if (!discovery.found) throw new CliError(`no config found; tried ${discovery.tried.join(', ')}`, 'pass --config PATH to et mcp, or create electrictown.yaml in its working directory');
  return discovery.path;
}

export interface LoadedWorkspace {
  configFile: string;
  config: ElectrictownConfig;
  /** Where the config keeps its runs and its ledger. */
  logDirectory: string;
}

export async function loadWorkspace(context: McpContext): Promise<LoadedWorkspace> {
  const configFile = configFileOf(context);
  const config = await loadConfig(configFile, context.environment);
  return { configFile, config, logDirectory: logDirectory(configFile, config, context.environment) };
}
