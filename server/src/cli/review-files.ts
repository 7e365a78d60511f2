// `et review`: each file read and sent to the witness (several at once), its findings printed in the
// compiler format editors and CI logs already understand. The score and reason go to stderr.
import { terminalSafe } from './terminal-text';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ledgerPath, loadConfig, logDirectory } from '../config/load-config';
import { LedgerWriter } from '../cost/ledger-writer';
import { ProviderError } from '../providers/provider-error';
import { ChainError } from '../router/chain';
import { sharedHealth } from '../router/health-registry';
import { ModelRouter } from '../router/model-router';
import { Limiter } from '../run/limiter';
import { reviewFileMessages } from '../run/messages';
import { boundFindings } from '../run/bound-findings';
import { parseReview, type Review } from '../run/review';
import { authHint } from './ask-once';
import { CliError, EXIT_ERROR, EXIT_OK, type CliContext } from './context';
import type { Environment } from '../config/env';

export interface ReviewRequest {
  configFile: string;
  files: string[];
  json: boolean;
  context: CliContext;
}

export type FileReview = { file: string; review: Review; model: string } | { file: string; error: string };

/** `PATH:LINE:COL: severity: message`, the path as the user gave it when the witness named that file. */
export function formatFindings(file: string, review: Review): string {
  const base = path.basename(file);
  return review.findings
    .map((finding) => {
      const named = finding.file === file || finding.file === base || file.endsWith(`/${finding.file}`) ? file : finding.file;
      return `${named}:${finding.line}:${finding.column ?? 1}: ${finding.severity}: ${finding.message}\n`;
    })
    .join('');
}

export interface ReviewQuestion {
  configFile: string;
  environment: Environment;
  /** As given; read relative to `baseDirectory`. */
  files: readonly string[];
  baseDirectory: string;
  /** A ledger that could not be written. */
  warn(message: string): void;
}

/**
 * The witness on each file, several at once, every call in the ledger: each file's review (its
 * findings kept to its lines and the limits), or why it has none — as `et review` reports them.
 */
export async function reviewEach(question: ReviewQuestion): Promise<FileReview[]> {
  const config = await loadConfig(question.configFile, question.environment);
  const ledger = new LedgerWriter(ledgerPath(question.configFile, config, question.environment), (error) => question.warn(`the cost ledger could not be written: ${error instanceof Error ? error.message : String(error)}`));
  const logs = logDirectory(question.configFile, config, question.environment);
  const health = sharedHealth(logs, (message) => question.warn(message));
  const router = new ModelRouter({ config, environment: question.environment, ledger, health, logDirectory: logs });
  try {
    let chain;
    try {
      chain = router.chainFor({ role: 'witness' });
    } catch (error) {
      throw error instanceof ChainError ? new CliError(error.message) : error;
    }
    const limiter = new Limiter(config.defaults?.workers ?? 8);
    const signal = new AbortController().signal;
    return await Promise.all(
      question.files.map((file) =>
        limiter.run(async (): Promise<FileReview> => {
          let content: string;
          try {
            content = await readFile(path.resolve(question.baseDirectory, file), 'utf8');
          } catch (error) {
            return { file, error: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
          }
          try {
            const routed = await router.request({ target: { role: 'witness' }, messages: reviewFileMessages(file, content, chain.systemPrompt), signal }, chain);
            const review = parseReview(routed.result.text);
            // Kept to the file's lines and the limits: a witness cannot flood the output.
            const lines = content.split('\n').length;
            return { file, review: { ...review, findings: boundFindings(review.findings, () => lines).kept }, model: routed.entry.reference };
          } catch (error) {
            if (ProviderError.isInstance(error) && error.errorClass === 'auth') return { file, error: `${error.message} (${authHint(config, error.provider)})` };
            return { file, error: error instanceof Error ? error.message : String(error) };
          }
        }),
      ),
    );
  } finally {
    await Promise.all([ledger.close(), health.flush()]);
  }
}

export async function reviewFiles(request: ReviewRequest): Promise<number> {
  const { context } = request;
  const reviews = await reviewEach({ configFile: request.configFile, environment: context.env, files: request.files, baseDirectory: context.cwd, warn: (message) => context.stderr(`warning: ${message}\n`) });
  let failed = false;
  for (const result of reviews) {
    if ('error' in result) {
      failed = true;
      if (!request.json) context.stderr(terminalSafe(`error: ${result.file}: ${result.error}\n`));
      continue;
    }
    if (result.review.findings.some((finding) => finding.severity === 'error')) failed = true;
    if (request.json) continue;
    // The witness's words, shown to a terminal or a CI log, never obeyed by it.
    context.stdout(terminalSafe(formatFindings(result.file, result.review)));
    context.stderr(terminalSafe(`${result.file}: ${result.review.score === undefined ? 'no score' : `${result.review.score}/10`}${result.review.reason ? ` — ${result.review.reason}` : ''} (${result.model})\n`));
  }
  if (request.json) context.stdout(`${JSON.stringify(reviews, null, 2)}\n`);
  return failed ? EXIT_ERROR : EXIT_OK;
}
