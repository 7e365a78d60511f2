// The tools beside runs, each what an `et` command does: `review` (the witness on files, as `et
// review`), `ask` (one prompt through a role's chain, as `et ask`), `costs` (the ledger, as `et
// costs`) and `models` (each provider's models, as `et models`). What calls a model is loaded on
// first use: the HTTP client would add ~40 ms to every server's start.
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { UsageError } from '../cli/context';
import { configCosts } from '../cost/config-costs';
import type { SummaryKey } from '../cost/ledger';
import { parseSince } from '../cost/since';
import { configFileOf, loadWorkspace, type McpContext } from './mcp-context';
import type { ToolExtra } from './progress';
import { jsonResult } from './tool-result';

export interface ReviewedFile {
  file: string;
  /** 0–10; null when the witness gave none, or the file was not reviewed. */
  score: number | null;
  reason: string;
  model: string | null;
  findings: { file: string; line: number; column: number | null; severity: 'error' | 'warning' | 'info' | 'hint'; message: string }[];
  /** Why the file was not reviewed; null when it was. */
  error: string | null;
}

export class TeamTools {
  constructor(
    private readonly context: McpContext,
    /** Refuses a path outside the workspace or the client's roots, unless the config allows it. */
    private readonly refuseOutside: (what: string, given: string, absolute: string, allowOutside: boolean | undefined) => Promise<void>,
  ) {}

  async review(args: { files: string[] }): Promise<CallToolResult> {
    const { configFile, config } = await loadWorkspace(this.context);
    for (const file of args.files) await this.refuseOutside('file', file, path.resolve(this.context.cwd, file), config.defaults?.mcp_allow_outside);
    const { reviewEach } = await import('../cli/review-files');
    const reviews = await reviewEach({ configFile, environment: this.context.environment, files: args.files, baseDirectory: this.context.cwd, warn: this.context.warn });
    const reviewed = reviews.map((result): ReviewedFile => {
      if ('error' in result) return { file: result.file, score: null, reason: '', model: null, findings: [], error: result.error };
      const findings = result.review.findings.map((finding) => ({ ...finding, column: finding.column ?? null }));
      return { file: result.file, score: result.review.score ?? null, reason: result.review.reason, model: result.model, findings, error: null };
    });
    // As `et review` exits 1: a file that could not be reviewed is this call's failure (the others' findings still shown).
    const failed = reviewed.filter((file) => file.error !== null);
    const result = jsonResult({ reviews: reviewed, errors: reviewed.flatMap((file) => file.findings).filter((finding) => finding.severity === 'error').length });
    if (failed.length === 0) return result;
    return { ...result, isError: true, content: [{ type: 'text', text: failed.map((file) => `error: ${file.file}: ${file.error}`).join('\n') }, ...result.content] };
  }

  async ask(args: { prompt: string; role?: string; model?: string }, extra: ToolExtra): Promise<CallToolResult> {
    if (args.role !== undefined && args.model !== undefined) throw new UsageError('give role or model, not both');
    const target = args.model !== undefined ? { model: args.model } : { role: args.role ?? 'polecat' };
    const { askThroughChain } = await import('../cli/ask-once');
    const answer = await askThroughChain({ configFile: configFileOf(this.context), environment: this.context.environment, target, prompt: args.prompt, signal: extra.signal, warn: this.context.warn });
    return jsonResult({ ...answer, outputCapNote: answer.outputCapNote ?? null });
  }

  async costs(args: { by?: SummaryKey; since?: string }): Promise<CallToolResult> {
    let since: Date | undefined;
    if (args.since !== undefined) {
      const parsed = parseSince(args.since, new Date());
      if (!parsed.ok) throw new UsageError(parsed.message);
      since = parsed.since;
    }
    const by = args.by ?? 'role';
    const costs = await configCosts(configFileOf(this.context), this.context.environment, by, since);
    return jsonResult({ by, since: since?.toISOString() ?? null, ...costs });
  }

  async models(): Promise<CallToolResult> {
    const { listAllModels } = await import('../cli/models-report');
    const providers = await listAllModels(configFileOf(this.context), this.context.environment);
    // As `et models` exits 1: useful as long as one provider answered.
    return { ...jsonResult({ providers }), isError: !providers.some((provider) => 'models' in provider) };
  }
}
