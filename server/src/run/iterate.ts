// --iterate: build the written output; while it fails, send each error to the worker that wrote its file
// — one fix subtask per owner, on that worker's model, with its subtask, the file as it is now and its
// errors — and errors in files nobody owns to one general fixer; write the fixes and build again. Stops
// when the build passes, after --max-iterations builds, or when the same errors come back.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { detectBuild, type BuildPlan } from '../build/detect-build';
import { errorSignature, parseBuildErrors, type BuildError } from '../build/error-parsers';
import { buildLog, runBuild } from '../build/run-build';
import type { BuildAttempt, BuildRecord, PhaseRecord } from '../protocol';
import { preferEntry, type Chain, type ChainEntry } from '../router/chain';
import { resolveInside } from './containment';
import type { Subtask } from './decompose';
import { parseAnswer } from '../edits/parse-answer';
import type { WorkingCopy } from '../edits/working-copy';
import { Limiter } from './limiter';
import { applyProblemsMessage, fixMessages, type FailingFile } from './messages';
import { messageOf, type WorkerContext } from './subtask-worker';
import type { ProducedFile, WriteReport } from './write-files';

export interface IterateContext extends WorkerContext {
  readonly outputDirectory: string;
  /** Variables the config reads secrets from; the build does not see them. */
  readonly secretNames: readonly string[];
  /** The polecat chain for the general fixer. */
  polecatChain(): Chain;
  writeLog(name: `_build_iter${number}.log`, text: string): Promise<void>;
  /** Writes fixed files into the output directory, checked like every other write. */
  writeFiles(files: readonly ProducedFile[]): Promise<WriteReport>;
  /** The project as it is on disk now, for applying a fix's edits. */
  diskCopy(): WorkingCopy;
  /** What the run changed, as a diff, for the general fixer; undefined when it changed nothing it knows of. */
  runDiff(): string | undefined;
}

/** A worker's subtask, the chain it ran on and the model whose answer was kept. */
export interface Authorship {
  subtask: Subtask;
  chain: Chain;
  author: ChainEntry | undefined;
}

/** Errors grouped by the subtask that owns their file; the rest for the general fixer. Pure. */
export function attributeErrors(errors: readonly BuildError[], owners: ReadonlyMap<string, number>): { byOwner: Map<number, BuildError[]>; unowned: BuildError[] } {
  const byOwner = new Map<number, BuildError[]>();
  const unowned: BuildError[] = [];
  for (const error of errors) {
    const owner = error.file === undefined ? undefined : owners.get(error.file);
    if (owner === undefined) unowned.push(error);
    else byOwner.set(owner, [...(byOwner.get(owner) ?? []), error]);
  }
  return { byOwner, unowned };
}

const location = (error: BuildError) => `${error.line ?? 1}${error.column === undefined ? '' : `:${error.column}`}: ${error.message}`;

export class Iteration {
  private readonly record: BuildRecord;

  constructor(
    private readonly context: IterateContext,
    private readonly authors: ReadonlyMap<number, Authorship>,
    /** Relative path → the subtask that wrote it last; fixes change it. */
    private readonly owners: Map<string, number>,
  ) {
    // A resumed run goes on from the builds it already made.
    this.record = context.record.build ??= { status: 'not-run', reason: undefined, attempts: [] };
    this.record.reason = undefined;
  }

  private async plan(): Promise<BuildPlan | undefined> {
    const { outputDirectory, flags } = this.context;
    const files = await readdir(outputDirectory).catch(() => [] as string[]);
    const packageJson = files.includes('package.json') ? await readFile(path.join(outputDirectory, 'package.json'), 'utf8').catch(() => undefined) : undefined;
    return detectBuild({ files, packageJson }, flags.buildCommand === null ? undefined : { command: flags.buildCommand, source: 'the given build command' });
  }

  async run(phase: PhaseRecord): Promise<BuildRecord> {
    const { context } = this;
    let plan: BuildPlan | undefined;
    try {
      plan = await this.plan();
    } catch (error) {
      this.record.reason = messageOf(error);
      context.warn(`no build: ${this.record.reason}`);
      return this.record;
    }
    if (!plan) {
      this.record.reason = 'no build command found for the output (no go.mod, package.json, Cargo.toml, CMakeLists.txt, Makefile or Python files at its root); give one with --build-cmd';
      context.warn(`no build: ${this.record.reason}`);
      return this.record;
    }
    const command = plan.steps.map((step) => step.join(' ')).join(' && ');
    let previous: string | undefined;
    if (this.record.status === 'passed') return this.record;
    for (let iteration = this.record.attempts.length + 1; iteration <= context.flags.maxIterations; iteration++) {
      if (context.signal.aborted) break;
      context.emit({ kind: 'build-start', iteration, command });
      const result = await runBuild({ steps: plan.steps, cwd: context.outputDirectory, timeoutMs: context.flags.buildTimeoutMinutes * 60_000, signal: context.signal, secretNames: context.secretNames });
      const log = `_build_iter${iteration}.log` as const;
      // Queued with the run folder's other writes; the next round does not wait for it.
      context.writeLog(log, buildLog(result, plan.steps)).catch((error: unknown) => context.warn(`${log} could not be written: ${messageOf(error)}`));
      const errors = result.passed ? [] : parseBuildErrors(`${result.stdout}\n${result.stderr}`, context.outputDirectory).filter((error) => error.severity === 'error');
      const attempt: BuildAttempt = { iteration, command, passed: result.passed, exitCode: result.exitCode, timedOut: result.timedOut, durationMs: Math.round(result.durationMs), errors: errors.length, log, fixes: [] };
      this.record.attempts.push(attempt);
      this.record.status = result.passed ? 'passed' : 'failed';
      context.emit({ kind: 'build-end', iteration, passed: result.passed, errors: errors.length, durationMs: attempt.durationMs });
      context.decide('iterate', 'build', `build the output (${plan.reason})`, command, result.passed ? 'passed' : result.cancelled ? 'cancelled' : result.timedOut ? 'timed out' : `failed with ${errors.length} errors`, result.startError);
      context.save();
      if (result.passed || result.cancelled) break;
      if (result.startError) {
        this.record.reason = result.startError;
        break;
      }
      const signature = errorSignature(errors);
      if (errors.length > 0 && signature === previous) {
        this.record.reason = 'the same errors came back after the fixes';
        context.warn(`iterate stopped: ${this.record.reason}`);
        break;
      }
      previous = signature;
      if (iteration === context.flags.maxIterations) {
        this.record.reason = `the build still fails after ${iteration} attempt${iteration === 1 ? '' : 's'} (--max-iterations)`;
        break;
      }
      await this.fix(attempt, errors, result.timedOut ? `the build took longer than ${context.flags.buildTimeoutMinutes} minutes` : `${result.stderr}\n${result.stdout}`.trim().slice(-4000), phase);
      if (context.stopped) break;
    }
    return this.record;
  }

  private async failingFiles(errors: readonly BuildError[]): Promise<FailingFile[]> {
    const byFile = new Map<string, BuildError[]>();
    for (const error of errors) if (error.file !== undefined) byFile.set(error.file, [...(byFile.get(error.file) ?? []), error]);
    return Promise.all(
      [...byFile].map(async ([file, fileErrors]) => {
        const target = await resolveInside(this.context.outputDirectory, file);
        const content = target.ok ? await readFile(target.absolute, 'utf8').catch(() => undefined) : undefined;
        return { path: file, content, errors: fileErrors.map(location) };
      }),
    );
  }

  /** Every owner's fix at once (within --workers), then the general fixer's, all written before the next build. */
  private async fix(attempt: BuildAttempt, errors: readonly BuildError[], output: string, phase: PhaseRecord): Promise<void> {
    const { byOwner, unowned } = attributeErrors(errors, this.owners);
    const limiter = new Limiter(this.context.flags.workers);
    const jobs = [...byOwner].map(([owner, ownerErrors]) => limiter.run(() => this.fixFor(attempt, owner, ownerErrors, [], phase)));
    // Unattributed errors, or a build that failed without a message we could read, go to the general fixer.
    const unreadable = errors.length === 0 ? [`(no error could be read from the build's output; its end:)\n${output}`] : [];
    if (unowned.length > 0 || unreadable.length > 0) jobs.push(limiter.run(() => this.fixFor(attempt, undefined, unowned, unreadable, phase)));
    await Promise.all(jobs);
  }

  private async fixFor(attempt: BuildAttempt, owner: number | undefined, errors: readonly BuildError[], notes: readonly string[], phase: PhaseRecord): Promise<void> {
    const { context } = this;
    const authorship = owner === undefined ? undefined : this.authors.get(owner);
    const files = await this.failingFiles(errors);
    const fix: BuildAttempt['fixes'][number] = { subtask: owner ?? null, files: files.map((file) => file.path), status: 'skipped', error: undefined };
    attempt.fixes.push(fix);
    if (context.stopped) {
      fix.error = 'the run stopped first';
      return;
    }
    const chain = authorship ? (authorship.author ? preferEntry(authorship.chain, authorship.author) : authorship.chain) : context.polecatChain();
    const other = [...notes, ...errors.filter((error) => error.file === undefined).map((error) => `${error.rawPath ?? '(no file)'}:${location(error)}`)];
    const subtaskRecord = owner === undefined ? undefined : context.record.subtasks[owner - 1];
    try {
      if (subtaskRecord) context.emit({ kind: 'subtask-start', subtask: owner as number, purpose: 'fix', chain: chain.label });
      const messages = fixMessages(context.record.task, authorship?.subtask, attempt.command, files, other, chain.systemPrompt, owner === undefined ? context.runDiff() : undefined);
      let routed = await context.call({ purpose: 'fix', role: 'polecat', chain, messages, subtask: subtaskRecord, stream: true }, phase);
      // The fix's edits apply to the files as they are on disk; edits that do not match go back once.
      let applied = await context.diskCopy().commit(parseAnswer(routed.result.text), owner ?? 0, { rewriteAllowed: false });
      if (!applied.ok) {
        const again = [...messages, { role: 'assistant' as const, content: routed.result.text }, applyProblemsMessage(applied.problems, 'Your fix cannot be applied:')];
        routed = await context.call({ purpose: 'fix', role: 'polecat', chain: preferEntry(chain, routed.entry), messages: again, subtask: subtaskRecord, stream: true }, phase);
        applied = await context.diskCopy().commit(parseAnswer(routed.result.text), owner ?? 0, { rewriteAllowed: false });
      }
      if (!applied.ok) throw new Error(`the fix's edits do not apply: ${applied.problems.map((problem) => problem.message.split('\n')[0]).join('; ')}`);
      const produced = [...applied.files].map(([file, { content }]) => ({ path: file, content, subtask: owner ?? 0 }));
      const report = await context.writeFiles(produced);
      // A worker owns what it fixed; what the general fixer wrote stays unowned, so it comes back to it.
      if (owner !== undefined) for (const written of report.written) this.owners.set(written.path, owner);
      fix.files = [...new Set([...fix.files, ...report.written.map((written) => written.path)])];
      fix.status = report.written.length > 0 ? 'succeeded' : 'failed';
      if (report.written.length === 0) fix.error = 'the fix wrote no file';
      context.decide('iterate', owner === undefined ? 'fixer' : `polecat-${owner}`, `fix ${errors.length} build error(s)`, `ask ${routed.entry.reference}`, `${report.written.length} file(s) written`, report.refused.map((refused) => `${refused.path}: ${refused.reason}`).join('\n') || undefined, routed.result.usage.outputTokens);
    } catch (error) {
      fix.status = 'failed';
      fix.error = messageOf(error);
    }
    context.save();
  }
}
