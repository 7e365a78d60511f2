// `et ask`: one prompt through the router, streamed. In a terminal the answer appears as it comes; a
// pipe gets only the final answer, so a stream restarted on another model never leaves half an answer
// in it. Attempts are noted on stderr; with --json everything is an NDJSON event on stdout. Every
// attempt that reached a provider goes into the cost ledger.
import { terminalSafe } from './terminal-text';
import { findEnvReferences } from '../config/env';
import type { ElectrictownConfig } from '../config/schema';
import { LedgerWriter } from '../cost/ledger-writer';
import { ProviderError } from '../providers/provider-error';
import { ChainError, maxTokensFor, type Chain } from '../router/chain';
import { sharedHealth } from '../router/health-registry';
import { ModelRouter, type RouteTarget } from '../router/model-router';
import { ChainExhaustedError, type RoutedResult, type RouterEvent } from '../router/router';
import type { Environment } from '../config/env';
import { CliError, EXIT_INTERRUPTED, type CliContext } from './context';
import { ledgerPath, loadConfig, logDirectory } from '../config/load-config';

export interface AskRequest {
  configFile: string;
  target: RouteTarget;
  prompt: string;
  json: boolean;
  context: CliContext;
}

/** Where the failing key comes from, by name only: the key itself never reaches output. */
export function authHint(config: ElectrictownConfig, provider: string): string {
  const apiKey = config.providers[provider]?.api_key;
  const variables = apiKey === undefined ? [] : findEnvReferences(apiKey).map((reference) => `$${reference.name}`);
  if (variables.length > 0) return `provider ${provider} takes its key from ${variables.join(', ')}: set it in your environment, or check its value`;
  return apiKey === undefined ? `provider ${provider} has no api_key in the config` : `check provider ${provider}'s api_key in the config`;
}

type AttemptEnd = Extract<RouterEvent, { type: 'attempt-end' }>;

/** A line for stderr about an attempt that did not answer; success needs none, and a failure is reported as the error. */
export function describeAttempt(event: AttemptEnd): string | undefined {
  if (event.outcome === 'ok' || event.outcome === 'fail' || event.outcome === 'cancelled') return undefined;
  if (event.outcome === 'skipped') return `note: ${event.reference}: skipped (cooling down)`;
  const next = event.outcome === 'retry' && event.delayMs !== undefined ? `retrying in ${(event.delayMs / 1000).toFixed(1)} s` : 'trying the next model';
  return `note: ${event.reference}: ${event.errorClass ?? 'error'}, ${next}`;
}

/**
 * Says that an answer stopped at the output cap, so nobody takes a cut answer for a whole one; `ours`:
 * electrictown's own bound on an answer's size cut it (the provider kept sending), not the model.
 */
export function outputCapNote(reference: string, maxTokens: number | undefined, ours?: string): string {
  if (ours !== undefined) return `note: ${reference}: the answer was cut: ${ours.replace(/^electrictown: /, '')}, past any model's output, and the rest was not read`;
  const cap = maxTokens === undefined ? "the model's own output limit" : `the output cap (max_tokens ${maxTokens})`;
  return `note: ${reference}: the answer stopped at ${cap} and is incomplete${maxTokens === undefined ? '' : '; raise max_tokens for a longer one'}`;
}

/** Where the answer goes as it streams: the terminal, a buffer for a pipe, or NDJSON events. */
function answerSink(request: AskRequest) {
  const { context } = request;
  const live = !request.json && context.stdoutIsTerminal;
  let printed = '';
  return {
    onEvent(event: RouterEvent) {
      if (request.json) {
        context.stdout(`${JSON.stringify(event)}\n`);
        return;
      }
      if (event.type === 'text-delta' && live) {
        context.stdout(terminalSafe(event.text));
        printed += event.text;
      } else if (event.type === 'restart') {
        if (live && printed !== '' && !printed.endsWith('\n')) context.stdout('\n');
        printed = '';
        context.stderr(terminalSafe(`note: ${event.reference} stopped after ${event.discardedChars} characters (${event.message}); the answer starts again on the next model\n`));
      } else if (event.type === 'attempt-end') {
        const note = describeAttempt(event);
        if (note) context.stderr(`${note}\n`);
      }
    },
    finish(text: string) {
      if (request.json) return;
      // To a pipe the answer goes as it is (a script reads it); to a terminal, shown, never obeyed.
      if (!live) context.stdout(context.stdoutIsTerminal ? terminalSafe(text.endsWith('\n') ? text : `${text}\n`) : text.endsWith('\n') ? text : `${text}\n`);
      else if (printed !== '' && !printed.endsWith('\n')) context.stdout('\n');
    },
  };
}

/** One prompt's answer through a chain, with what it cost. */
export interface ChainAnswer {
  text: string;
  /** The model that answered, as the config names it. */
  model: string;
  finishReason: string;
  usage: RoutedResult['result']['usage'];
  /** Every attempt's cost together; null when any was unpriced. */
  usd: number | null;
  /** The answering attempt's cost alone. */
  answerUsd: number | null;
  priceSource: string | null;
  /** Set when the answer stopped at the output cap: the note that says it is incomplete. */
  outputCapNote: string | undefined;
}

export interface ChainQuestion {
  configFile: string;
  environment: Environment;
  target: RouteTarget;
  prompt: string;
  signal: AbortSignal;
  /** Each router event as it comes (attempts, streamed text); with it the answer is streamed. */
  onEvent?: (event: RouterEvent) => void;
  /** A ledger or dump that could not be written. */
  warn(message: string): void;
}

/**
 * One prompt through a role's (or a model's) chain, every attempt in the ledger: the answer, or a
 * CliError with the message `et ask` prints (a key's failure names where the key comes from, never it).
 */
export async function askThroughChain(question: ChainQuestion): Promise<ChainAnswer> {
  const config = await loadConfig(question.configFile, question.environment);
  const ledger = new LedgerWriter(ledgerPath(question.configFile, config, question.environment), (error) => question.warn(`the cost ledger could not be written: ${error instanceof Error ? error.message : String(error)}`));
  const dumpWarning = (error: unknown) => question.warn(`a failed request could not be dumped: ${error instanceof Error ? error.message : String(error)}`);
  const logs = logDirectory(question.configFile, config, question.environment);
  const health = sharedHealth(logs, (message) => question.warn(message));
  const router = new ModelRouter({ config, environment: question.environment, ledger, health, logDirectory: logs, onDumpError: dumpWarning });
  try {
    let chain: Chain;
    try {
      chain = router.chainFor(question.target);
    } catch (error) {
      if (error instanceof ChainError) throw new CliError(error.message);
      throw error;
    }
    const messages = [...(chain.systemPrompt ? [{ role: 'system' as const, content: chain.systemPrompt }] : []), { role: 'user' as const, content: question.prompt }];
    const routed = await router.request({ target: question.target, messages, signal: question.signal, stream: question.onEvent !== undefined, onEvent: question.onEvent }, chain).catch((error: unknown) => {
      if (ProviderError.isInstance(error)) throw new CliError(error.message, error.errorClass === 'auth' ? authHint(config, error.provider) : undefined);
      if (error instanceof ChainExhaustedError) throw new CliError(error.message);
      throw error;
    });
    const answered = routed.attempts.at(-1);
    const usd = routed.attempts.reduce<number | null>((total, attempt) => (total === null || attempt.usd === null ? null : total + attempt.usd), 0);
    return {
      text: routed.result.text,
      model: routed.entry.reference,
      finishReason: routed.result.finishReason,
      usage: routed.result.usage,
      usd,
      answerUsd: answered?.usd ?? null,
      priceSource: router.pricingFor(routed.entry)?.source ?? null,
      outputCapNote: answered?.cutAtOutputCap ? outputCapNote(routed.entry.reference, maxTokensFor(chain, routed.entry), routed.result.rawFinishReason?.startsWith('electrictown: ') ? routed.result.rawFinishReason : undefined) : undefined,
    };
  } finally {
    await Promise.all([ledger.close(), router.failedRequests?.settled(), health.flush()]);
  }
}

export async function askOnce(request: AskRequest): Promise<void> {
  const { context } = request;
  const sink = answerSink(request);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  try {
    const answer = await askThroughChain({ configFile: request.configFile, environment: context.env, target: request.target, prompt: request.prompt, signal: controller.signal, onEvent: (event) => sink.onEvent(event), warn: (message) => context.stderr(`warning: ${message}\n`) });
    if (answer.outputCapNote) context.stderr(`${answer.outputCapNote}\n`);
    if (request.json) {
      context.stdout(`${JSON.stringify({ type: 'usage', ...answer.usage })}\n`);
      context.stdout(`${JSON.stringify({ type: 'cost', usd: answer.usd, unpriced: answer.usd === null, answerUsd: answer.answerUsd, priceSource: answer.priceSource })}\n`);
      context.stdout(`${JSON.stringify({ type: 'end', model: answer.model, finishReason: answer.finishReason, text: answer.text })}\n`);
    }
    sink.finish(answer.text);
  } catch (error) {
    if (controller.signal.aborted) throw new CliError('interrupted', undefined, EXIT_INTERRUPTED);
    throw error;
  } finally {
    process.removeListener('SIGINT', stop);
  }
}
