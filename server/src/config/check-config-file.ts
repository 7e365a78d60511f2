// Reads and checks one config file: what `et config check` prints. Loaded lazily by the CLI so that
// quick commands do not pay for the YAML parser and the schema.
import { analyzeConfig, type AnalysisContext } from './analyze';
import type { Environment } from './env';
import type { ConfigIssue } from './issues';
import { LineIndex } from './line-index';
import { readConfigFile } from './read-config-file';

export interface CheckedFile {
  issues: ConfigIssue[];
  lines: LineIndex;
}

export async function checkConfigFile(file: string, environment: Environment, context: AnalysisContext = {}): Promise<CheckedFile> {
  const read = await readConfigFile(file);
  if (!read.ok) return { issues: [read.issue], lines: new LineIndex('') };
  return { issues: analyzeConfig(read.text, environment, undefined, context).issues, lines: new LineIndex(read.text) };
}
