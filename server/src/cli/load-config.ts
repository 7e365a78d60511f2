// The config a command runs with: read, checked, and refused with a pointer to `et config check` when
// it has errors. Also where that config keeps its ledger and runs.
import path from 'node:path';
import { analyzeConfig } from '../config/analyze';
import type { Environment } from '../config/env';
import { readConfigFile } from '../config/read-config-file';
import type { ElectrictownConfig } from '../config/schema';
import { CliError } from './context';

export async function loadConfig(file: string, environment: Environment): Promise<ElectrictownConfig> {
  const read = await readConfigFile(file);
  const config = read.ok ? analyzeConfig(read.text, environment).config : undefined;
  if (!config) throw new CliError(`${file} has errors`, `see them with: et config check ${file}`);
  return config;
}

/** `defaults.log_dir` (relative to the config file), `.electrictown` beside it by default. */
export function logDirectory(configFile: string, config: ElectrictownConfig): string {
  return path.resolve(path.dirname(configFile), config.defaults?.log_dir ?? '.electrictown');
}

export function ledgerPath(configFile: string, config: ElectrictownConfig): string {
  return path.join(logDirectory(configFile, config), 'ledger.jsonl');
}
