// The one entry point for config checking, shared by the language server and the CLI:
// text in, every issue (in document order) and the typed config out. Pure; no I/O.
import { checkModels } from './checks/model-checks';
import { checkProviders } from './checks/provider-checks';
import { checkRoles } from './checks/role-checks';
import { checkOutsideEditor, checkVscodeProviders } from './checks/vscode-checks';
import type { Environment } from './env';
import type { IncrementalYamlParser } from './incremental-yaml';
import { compareIssues, type ConfigIssue } from './issues';
import { findReservedKeys, withoutReservedKeys } from './reserved-names';
import type { ElectrictownConfig } from './schema';
import { checkSchema } from './schema-issues';
import { locateIssues, parseYamlSource, type YamlSource } from './yaml-source';

export interface ConfigAnalysis {
  source: YamlSource;
  issues: ConfigIssue[];
  /** The typed config, present when there are no errors (warnings and infos allowed). */
  config: ElectrictownConfig | undefined;
}

export interface AnalysisContext {
  /** Checked for `et` in a terminal: what only the editor can run (VS Code's models) is warned about. */
  outsideEditor?: boolean;
}

/** `incremental` (the editor's, one per document) makes re-checking after an edit cheap. */
export function analyzeConfig(text: string, environment: Environment, incremental?: IncrementalYamlParser, context: AnalysisContext = {}): ConfigAnalysis {
  const source = parseYamlSource(text, incremental);
  if (!source.document || (source.value === undefined && source.issues.length > 0)) {
    return { source, issues: [...source.issues].sort(compareIssues), config: undefined };
  }
  const reserved = findReservedKeys(text, source.document);
  // The checks read the value without reserved names: they are reported once, where they are written.
  const value = reserved.length > 0 ? withoutReservedKeys(source.value) : source.value;
  const schema = checkSchema(value);
  const pathIssues = [...schema.issues, ...checkProviders(value, environment), ...checkModels(value), ...checkRoles(value), ...checkVscodeProviders(value), ...(context.outsideEditor ? checkOutsideEditor(value) : [])];
  const located = withoutAliasConsequences(source.issues, locateIssues(source, pathIssues));
  const issues = dedupe([...source.issues, ...reserved, ...located]).sort(compareIssues);
  const hasErrors = issues.some((issue) => issue.severity === 'error');
  return { source, issues, config: hasErrors ? undefined : schema.config };
}

/** An alias that names no anchor reads as null; what the checks then say about that null says nothing new. */
function withoutAliasConsequences(sourceIssues: readonly ConfigIssue[], issues: ConfigIssue[]): ConfigIssue[] {
  const aliases = new Set(sourceIssues.filter((issue) => issue.code === 'unknown-alias').map((issue) => `${issue.start}:${issue.end}`));
  if (aliases.size === 0) return issues;
  return issues.filter((issue) => !aliases.has(`${issue.start}:${issue.end}`));
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
