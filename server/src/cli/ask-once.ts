// `et ask`: one prompt through the router, the answer on stdout, each attempt noted on stderr (or, with
// --json, everything as NDJSON events on stdout), the answering attempt recorded in the cost ledger.
import path from 'node:path';
import { analyzeConfig } from '../config/analyze';
import { readConfigFile } from '../config/read-config-file';
import type { ElectrictownConfig } from '../config/schema';
import { appendEntry } from '../cost/ledger';
import { costUsd } from '../cost/pricing';
import { createModel } from '../providers/create-model';
import { ProviderError } from '../providers/provider-error';
import { chainForModel, chainForRole, ChainError, type Chain } from '../router/chain';
import { Cooldowns } from '../router/cooldowns';
import { DEFAULT_RETRY_POLICY } from '../router/retry-policy';
import { ChainExhaustedError, generateWithChain, type RouterEvent } from '../router/router';
import { CliError, type CliContext } from './context';

export interface AskRequest {
  configFile: string;
  configDirectory: string;
  target: { role: string } | { model: string };
  prompt: string;
  json: boolean;
  context: CliContext;
}

async function loadConfig(file: string, environment: CliContext['env']): Promise<ElectrictownConfig> {
  const read = await readConfigFile(file);
  const analysis = read.ok ? analyzeConfig(read.text, environment) : undefined;
  if (!analysis?.config) {
    throw new CliError(`${file} has errors`, `see them with: et config check ${file}`);
  }
  return analysis.config;
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, milliseconds);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

function describeAttempt(event: Extract<RouterEvent, { type: 'attempt-end' }>): string | undefined {
  // Success needs no note, and a failure is reported as the error itself.
  if (event.outcome === 'ok' || event.outcome === 'fail') return undefined;
  const wait = event.outcome === 'retry' && event.delayMs !== undefined ? `, retrying in ${(event.delayMs / 1000).toFixed(1)} s` : event.outcome === 'fallback' ? ', trying the next model' : '';
  return `note: ${event.reference}: ${event.outcome === 'skipped' ? 'skipped (cooling down)' : `${event.errorClass ?? 'error'}${wait}`}`;
}

export async function askOnce(request: AskRequest): Promise<void> {
  const { context } = request;
  const config = await loadConfig(request.configFile, context.env);
  let chain: Chain;
  try {
    chain = 'role' in request.target ? chainForRole(config, request.target.role) : chainForModel(config, request.target.model);
  } catch (error) {
    if (error instanceof ChainError) throw new CliError(error.message);
    throw error;
  }
  const emit = (event: object) => context.stdout(`${JSON.stringify(event)}\n`);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  try {
    const routed = await generateWithChain(
      chain,
      { messages: [...(chain.systemPrompt ? [{ role: 'system' as const, content: chain.systemPrompt }] : []), { role: 'user', content: request.prompt }], signal: controller.signal },
      {
        createModel: (entry) => createModel(config, context.env, entry),
        cooldowns: new Cooldowns(),
        policy: DEFAULT_RETRY_POLICY,
        random: Math.random,
        now: Date.now,
        sleep,
        onEvent: (event) => {
          if (request.json) emit(event);
          else if (event.type === 'attempt-end') {
            const note = describeAttempt(event);
            if (note) context.stderr(`${note}\n`);
          }
        },
      },
    );
    const pricing = routed.entry.alias ? config.models?.[routed.entry.alias]?.pricing : undefined;
    const usd = costUsd(routed.result.usage, pricing);
    const { usage } = routed.result;
    const ledger = path.resolve(request.configDirectory, config.defaults?.log_dir ?? '.electrictown', 'ledger.jsonl');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.dirname(ledger), { recursive: true });
    await appendEntry(ledger, {
      time: new Date().toISOString(),
      runId: undefined,
      role: 'role' in request.target ? request.target.role : undefined,
      provider: routed.entry.provider,
      providerType: config.providers[routed.entry.provider]?.type ?? 'openai',
      alias: routed.entry.alias,
      modelId: routed.entry.modelId,
      tokens: { input: usage.inputTokens ?? null, cachedInput: usage.cachedInputTokens ?? null, output: usage.outputTokens ?? null, reasoning: usage.reasoningTokens ?? null },
      usd,
      outcome: 'ok',
    });
    if (request.json) {
      emit({ type: 'text', text: routed.result.text });
      emit({ type: 'usage', ...usage });
      emit({ type: 'cost', usd, unpriced: usd === null });
      emit({ type: 'end', model: routed.entry.reference, finishReason: routed.result.finishReason });
    } else {
      context.stdout(routed.result.text.endsWith('\n') ? routed.result.text : `${routed.result.text}\n`);
    }
  } catch (error) {
    if (ProviderError.isInstance(error)) throw new CliError(error.message, error.errorClass === 'auth' ? 'set the variable in your environment, or fix the key in the config' : undefined);
    if (error instanceof ChainExhaustedError) throw new CliError(error.message);
    throw error;
  } finally {
    process.removeListener('SIGINT', stop);
  }
}
