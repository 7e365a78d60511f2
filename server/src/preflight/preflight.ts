// The pre-flight check end to end, for `electrictown/preflight` and `et doctor`: find the config, check
// it, plan (preflight-plan.ts), ask the endpoints (endpoint-probes.ts), report (preflight-report.ts).
import { existsSync } from 'node:fs';
import { analyzeConfig } from '../config/analyze';
import { ConfigLoadError } from '../config/config-load-error';
import { discoverConfig } from '../config/discover';
import type { Environment } from '../config/env';
import { LineIndex } from '../config/line-index';
import { loadConfig } from '../config/load-config';
import { readConfigFile } from '../config/read-config-file';
import { providerSettings } from '../providers/create-model';
import { listModels } from '../providers/list-models';
import type { ElectrictownConfig } from '../config/schema';
import type { PreflightResult } from '../protocol';
import { EndpointProbes, PROBE_TIMEOUT_MS, type ListEndpointModels } from './endpoint-probes';
import { planPreflight } from './preflight-plan';
import { preflightReport } from './preflight-report';

export interface PreflightInput {
  configPath: string | undefined;
  cwd: string;
  environment: Environment;
  probes: EndpointProbes;
}

/** The probes' list call for this config: the provider's own settings, with every timeout cut to the probe's. */
function probeListing(config: ElectrictownConfig, environment: Environment): ListEndpointModels {
  const timeouts = { connectMs: PROBE_TIMEOUT_MS, firstByteMs: PROBE_TIMEOUT_MS, idleMs: PROBE_TIMEOUT_MS };
  return (endpoint, signal) => listModels(providerSettings(config, environment, endpoint.provider, timeouts), signal);
}

/** A config the checks would refuse: its error count and the first error, with its line. */
function configErrors(file: string, text: string, issues: ReturnType<typeof analyzeConfig>['issues']): string {
  const errors = issues.filter((issue) => issue.severity === 'error');
  const first = errors[0];
  const line = new LineIndex(text).positionAt(first.start).line + 1;
  return `${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; the first, line ${line}: ${first.message}`;
}

export async function runPreflight(input: PreflightInput): Promise<PreflightResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const discovery = discoverConfig({ explicitPath: input.configPath, cwd: input.cwd, home: input.environment.HOME, exists: existsSync });
  if (!discovery.found) {
    return { configPath: null, tried: discovery.tried, roles: [], problems: [{ kind: 'no-config', message: `no electrictown.yaml: looked for ${discovery.tried.join(', ')}`, roles: [] }], elapsedMs: elapsed() };
  }
  const file = discovery.path;
  let config: ElectrictownConfig;
  try {
    // The analysis of an unchanged file is kept by load-config.ts: Run Task after Run Task does not redo it.
    config = await loadConfig(file, input.environment);
  } catch (error) {
    if (!(error instanceof ConfigLoadError)) throw error;
    const read = await readConfigFile(file);
    const analysis = read.ok ? analyzeConfig(read.text, input.environment) : undefined;
    const message = read.ok && analysis ? configErrors(file, read.text, analysis.issues) : `${file}: ${read.ok ? 'cannot be read' : read.issue.message}`;
    return { configPath: file, tried: [], roles: [], problems: [{ kind: 'config-errors', message, roles: [] }], elapsedMs: elapsed() };
  }
  const plan = planPreflight(config, input.environment);
  const outcomes = await input.probes.outcomes(plan.endpoints, probeListing(config, input.environment));
  return { configPath: file, tried: [], ...preflightReport(plan, outcomes), elapsedMs: elapsed() };
}
