// The one entry point for config checking, shared by the language server and the CLI:
// text in, every issue (in document order) and the typed config out. Pure; no I/O.
import { checkModels } from './checks/model-checks';
import { checkProviders } from './checks/provider-checks';
import { checkRoles } from './checks/role-checks';
import type { Environment } from './env';
import type { IncrementalYamlParser } from './incremental-yaml';
import { compareIssues, type ConfigIssue } from './issues';
import type { ElectrictownConfig } from './schema';
import { checkSchema } from './schema-issues';
import { locateIssues, parseYamlSource, type YamlSource } from './yaml-source';

export interface ConfigAnalysis {
  source: YamlSource;
  issues: ConfigIssue[];
  /** The typed config, present when there are no errors (warnings and infos allowed). */
  config: ElectrictownConfig | undefined;
}

/** `incremental` (the editor's, one per document) makes re-checking after an edit cheap. */
export function analyzeConfig(text: string, environment: Environment, incremental?: IncrementalYamlParser): ConfigAnalysis {
  const source = parseYamlSource(text, incremental);
  if (!source.document || (source.value === undefined && source.issues.length > 0)) {
    return { source, issues: [...source.issues].sort(compareIssues), config: undefined };
  }
  const schema = checkSchema(source.value);
  const pathIssues = [
    ...schema.issues,
    ...checkProviders(source.value, environment),
    ...checkModels(source.value),
    ...checkRoles(source.value),
  ];
  const issues = dedupe([...source.issues, ...locateIssues(source, pathIssues)]).sort(compareIssues);
  const hasErrors = issues.some((issue) => issue.severity === 'error');
  return { source, issues, config: hasErrors ? undefined : schema.config };
}

/** Two checks can reach the same conclusion about the same text (e.g. a blank model id). */
function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.start}:${issue.end}:${issue.code}:${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
