// The config a command or a run uses: read, checked, and refused with a pointer to `et config check`
// when it has errors. Also where that config keeps its runs and its ledger.
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';
import { analyzeConfig } from './analyze';
import { ConfigLoadError } from './config-load-error';
import type { Environment } from './env';
import { readConfigFile } from './read-config-file';
import type { ElectrictownConfig } from './schema';

export interface LoadedConfig {
  config: ElectrictownConfig;
  /** Of the file's bytes as read, so a run records exactly which config it ran with. */
  sha256: string;
}

/**
 * The last analysis of each file, for a server that loads the same config run after run: it is reused
 * while the file's text and the environment it was checked against are the same.
 */
const analyses = new Map<string, { key: string; config: ElectrictownConfig }>();

function environmentKey(environment: Environment): string {
  return JSON.stringify(Object.entries(environment).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function loadConfigWithHash(file: string, environment: Environment): Promise<LoadedConfig> {
  const read = await readConfigFile(file);
  if (!read.ok) throw new ConfigLoadError(`${file} has errors`, `see them with: et config check ${file}`);
  const sha256 = createHash('sha256').update(read.text).digest('hex');
  const key = `${sha256}\u0000${environmentKey(environment)}`;
  const cached = analyses.get(file);
  if (cached?.key === key) return { config: cached.config, sha256 };
  const config = analyzeConfig(read.text, environment).config;
  if (!config) throw new ConfigLoadError(`${file} has errors`, `see them with: et config check ${file}`);
  analyses.set(file, { key, config });
  return { config, sha256 };
}

export async function loadConfig(file: string, environment: Environment): Promise<ElectrictownConfig> {
  return (await loadConfigWithHash(file, environment)).config;
}

/**
 * `defaults.log_dir` (relative to the config file), else `~/Documents/electrictown-logs`, where
 * electrictown keeps its runs, so existing habits and scripts find them.
 */
export function logDirectory(configFile: string, config: ElectrictownConfig, environment: Environment): string {
  const configured = config.defaults?.log_dir;
  if (configured !== undefined) return path.resolve(path.dirname(configFile), configured);
  return path.join(environment.HOME || homedir(), 'Documents', 'electrictown-logs');
}

export function ledgerPath(configFile: string, config: ElectrictownConfig, environment: Environment): string {
  return path.join(logDirectory(configFile, config, environment), 'ledger.jsonl');
}
