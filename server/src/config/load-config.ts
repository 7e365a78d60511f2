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

export async function loadConfigWithHash(file: string, environment: Environment): Promise<LoadedConfig> {
  const read = await readConfigFile(file);
  const config = read.ok ? analyzeConfig(read.text, environment).config : undefined;
  if (!read.ok || !config) throw new ConfigLoadError(`${file} has errors`, `see them with: et config check ${file}`);
  return { config, sha256: createHash('sha256').update(read.text).digest('hex') };
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
