// --iterate: the gates decide. The setup step (dependencies) runs once; then every round runs the gates
// in order — build, lint, tests — and stops at the first that fails. Its errors or failing tests go to
// the workers that changed the code — one fix subtask per owner, on that worker's model, with its
// subtask, the files as they are now and what failed — and what nobody owns to one general fixer with
// the run's diff; the fixes are written and the round starts again. Stops when every gate passes, after
// --max-iterations rounds, or when the same failures come back. A fix that weakens a test is flagged,
// and with --protect-tests refused. A failing test suite runs twice before a worker is blamed.
import { readFile } from 'node:fs/promises';
import { commandLine } from '../build/detect-build';
import type { BuildError } from '../build/build-error';
import { errorSignature, parseBuildErrors } from '../build/error-parsers';
import { buildLog, runBuild, type BuildResult } from '../build/run-build';
import { parseTestOutput, type TestReport } from '../build/test-failures/parse-test-output';
import { isTestFile, testWeakenings } from '../build/test-weakening';
import { parseAnswer } from '../edits/parse-answer';
import type { WorkingCopy } from '../edits/working-copy';
import type { Gate } from '../gates/detect-gates';
import { planGates, type GatePlan } from '../gates/gate-plan';
import { describeSandbox, openSandbox, wrapFor, type Sandbox } from '../gates/sandbox';
import { rememberSetup, setupIsCurrent } from '../gates/setup-cache';
import { attributeFailures } from '../gates/test-attribution';
import type { BuildAttempt, BuildRecord, PhaseRecord } from '../protocol';
import { preferEntry, type Chain, type ChainEntry } from '../router/chain';
import { resolveInside } from './containment';
import type { Subtask } from './decompose';
import { Limiter } from './limiter';
import { applyProblemsMessage, fixMessages, type FailingFile } from './messages';
import { messageOf, type WorkerContext } from './subtask-worker';
import type { ProducedFile, WriteReport } from './write-files';

export interface IterateContext extends WorkerContext {
  readonly outputDirectory: string;
  /** The polecat chain for the general fixer. */
  polecatChain(): Chain;
  writeLog(name: `_${string}.log`, text: string): Promise<void>;
  /** Writes fixed files into the output directory, checked like every other write. */
  writeFiles(files: readonly ProducedFile[]): Promise<WriteReport>;
  /** The project as it is on disk now, for applying a fix's edits. */
  diskCopy(): WorkingCopy;
  /** What the run changed, as a diff, for the general fixer; undefined when it changed nothing it knows of. */
  runDiff(): string | undefined;
  /** Where the setup step's cache is kept. */
  readonly logDirectory: string;
  /** Variables the config reads secrets from: gates never see them (nor anything named like a secret). */
  readonly secretNames: readonly string[];
}

/** A worker's subtask, the chain it ran on and the model whose answer was kept. */
export interface Authorship {
  subtask: Subtask;
  chain: Chain;
  author: ChainEntry | undefined;
}

/** Errors grouped by the subtask that owns their file; the rest for the general fixer. Pure. */
export function attributeErrors<E extends BuildError>(errors: readonly E[], owners: ReadonlyMap<string, number>): { byOwner: Map<number, E[]>; unowned: E[] } {
  const byOwner = new Map<number, E[]>();
  const unowned: E[] = [];
  for (const error of errors) {
    const owner = error.file === undefined ? undefined : owners.get(error.file);
    if (owner === undefined) unowned.push(error);
    else byOwner.set(owner, [...(byOwner.get(owner) ?? []), error]);
  }
  return { byOwner, unowned };
}

/** `LINE[:COL]: message`, or the message alone when the error names no line (a test sent to the code it tests). */
const location = (error: BuildError) => (error.line === undefined ? error.message : `${error.line}${error.column === undefined ? '' : `:${error.column}`}: ${error.message}`);

/** What went wrong with a gate, for the fixers: its errors (each maybe carrying the failing test's file). */
type GateError = BuildError & { testFile?: string };

interface GateOutcome {
  attempt: BuildAttempt;
  result: BuildResult;
  errors: GateError[];
}

interface TestProblem {
  file: string;
  message: string;
}

const commandOf = (gate: Gate) => commandLine(gate.steps);

export class Iteration {
  private readonly record: BuildRecord;
  private sandbox: Sandbox | undefined;

  constructor(
    private readonly context: IterateContext,
    private readonly authors: ReadonlyMap<number, Authorship>,
    /** Relative path → the subtask that changed it last; fixes change it. */
    private readonly owners: Map<string, number>,
  ) {
    // A resumed run goes on from the rounds it already made.
    this.record = context.record.build ??= { status: 'not-run', reason: undefined, attempts: [] };
    this.record.reason = undefined;
  }

  private run_(gate: Gate): Promise<BuildResult> {
    const { context } = this;
    const wrap = this.sandbox ? wrapFor(this.sandbox, gate.kind) : undefined;
    return runBuild({ steps: gate.steps, cwd: context.outputDirectory, timeoutMs: context.flags.buildTimeoutMinutes * 60_000, signal: context.signal, secretNames: context.secretNames, wrap });
  }

  async run(phase: PhaseRecord): Promise<BuildRecord> {
    const { context } = this;
    let plan: GatePlan | undefined;
    try {
      plan = await planGates(context.outputDirectory, { given: context.flags.gates ?? [], buildCommand: context.flags.buildCommand, logDirectory: context.logDirectory });
    } catch (error) {
      this.record.reason = messageOf(error);
      context.warn(`no gates: ${this.record.reason}`);
      return this.record;
    }
    if (!plan) {
      this.record.reason = 'nothing to run: no go.mod, package.json, Cargo.toml, CMakeLists.txt, Makefile or Python files at the output folder’s root; name a gate with --gate';
      this.record.nothingToRun = true;
      context.warn(`no gates: ${this.record.reason}`);
      return this.record;
    }
    if (this.record.status === 'passed') return this.record;
    this.sandbox = await openSandbox(context.outputDirectory, plan.writes, context.flags.sandbox !== false);
    this.record.sandbox = describeSandbox(this.sandbox);
    context.decide('iterate', 'sandbox', 'run the gates in a sandbox', this.sandbox.kind === 'bwrap' ? 'bwrap' : 'none', this.record.sandbox);
    if (!(await this.setUp(plan.setup))) return this.record;
    let previous: string | undefined;
    const done = new Set(this.record.attempts.map((attempt) => attempt.iteration));
    for (let iteration = done.size + 1; iteration <= context.flags.maxIterations; iteration++) {
      if (context.signal.aborted) break;
      let failing: GateOutcome | undefined;
      for (const gate of plan.gates) {
        const outcome = await this.runGate(gate, iteration);
        if (!outcome.attempt.passed) {
          failing = outcome;
          break;
        }
      }
      this.record.status = failing ? 'failed' : 'passed';
      context.save();
      if (!failing || failing.result.cancelled) break;
      if (failing.result.startError) {
        this.record.reason = failing.result.startError;
        break;
      }
      const signature = errorSignature(failing.errors);
      if (failing.errors.length > 0 && signature === previous) {
        this.record.reason = `the same failures came back after the fixes (${failing.attempt.gate ?? 'build'})`;
        context.warn(`iterate stopped: ${this.record.reason}`);
        break;
      }
      previous = signature;
      if (iteration === context.flags.maxIterations) {
        this.record.reason = `${failing.attempt.gate ?? 'the build'} still fails after ${iteration} round${iteration === 1 ? '' : 's'} (--max-iterations)`;
        break;
      }
      const output = failing.result.timedOut ? `the gate took longer than ${context.flags.buildTimeoutMinutes} minutes` : `${failing.result.stderr}\n${failing.result.stdout}`.trim().slice(-4000);
      await this.fix(failing.attempt, failing.errors, output, phase);
      if (context.stopped) break;
    }
    return this.record;
  }

  /** The setup steps, once per run (a resumed run that set up already does not again); false when one failed. */
  private async setUp(setup: readonly Gate[]): Promise<boolean> {
    const { context } = this;
    this.record.setup ??= [];
    for (const gate of setup) {
      if (this.record.setup.some((done) => done.name === gate.name && done.passed)) continue;
      if (await setupIsCurrent(context.logDirectory, context.outputDirectory, gate).catch(() => false)) {
        this.record.setup.push({ name: gate.name, command: commandOf(gate), passed: true, durationMs: 0, log: '', cached: true });
        context.decide('iterate', 'setup', `set the project up (${gate.reason})`, commandOf(gate), 'skipped: its inputs are as when it last passed');
        continue;
      }
      context.emit({ kind: 'build-start', iteration: 0, command: commandOf(gate), gate: gate.name, gateKind: 'setup' });
      const result = await this.run_(gate);
      const log = `_gate_${gate.name}_setup.log` as const;
      context.writeLog(log, buildLog(result, gate.steps)).catch((error: unknown) => context.warn(`${log} could not be written: ${messageOf(error)}`));
      this.record.setup.push({ name: gate.name, command: commandOf(gate), passed: result.passed, durationMs: Math.round(result.durationMs), log });
      context.emit({ kind: 'build-end', iteration: 0, passed: result.passed, errors: 0, durationMs: Math.round(result.durationMs), gate: gate.name, gateKind: 'setup', status: result.timedOut ? 'timed-out' : result.passed ? 'passed' : 'failed' });
      context.decide('iterate', 'setup', `set the project up (${gate.reason})`, commandOf(gate), result.passed ? 'passed' : 'failed', result.startError);
      if (result.passed) await rememberSetup(context.logDirectory, context.outputDirectory, gate).catch(() => undefined);
      if (!result.passed) {
        // No worker wrote the lockfile's dependencies or the network: this is not sent to one.
        this.record.status = 'failed';
        this.record.reason = `the setup step ${gate.name} (${commandOf(gate)}) failed${result.timedOut ? ' (timed out)' : result.startError ? `: ${result.startError}` : ` with exit ${result.exitCode}`}; see ${log}`;
        context.warn(this.record.reason);
        context.save();
        return false;
      }
    }
    return true;
  }

  /** One gate of one round: run (a failing test suite twice), logged, read, recorded. */
  private async runGate(gate: Gate, iteration: number): Promise<GateOutcome> {
    const { context } = this;
    const command = commandOf(gate);
    context.emit({ kind: 'build-start', iteration, command, gate: gate.name, gateKind: gate.kind });
    let result = await this.run_(gate);
    let flaky = false;
    if (gate.kind === 'test' && !result.passed && !result.timedOut && !result.cancelled && !result.startError) {
      // A suite that passes when run again was flaky: no worker is blamed for it.
      const again = await this.run_(gate);
      if (again.passed) {
        flaky = true;
        result = again;
        context.warn(`${gate.name}: the tests failed, then passed when run again: flaky`);
      }
    }
    const log = `_gate_${gate.name}_iter${iteration}.log` as const;
    // Queued with the run folder's other writes; the next gate does not wait for it.
    context.writeLog(log, buildLog(result, gate.steps)).catch((error: unknown) => context.warn(`${log} could not be written: ${messageOf(error)}`));
    const output = `${result.stdout}\n${result.stderr}`;
    let report: TestReport | undefined;
    let errors: GateError[] = [];
    if (!result.passed || gate.kind === 'test') report = gate.kind === 'test' ? parseTestOutput(output, context.outputDirectory) : undefined;
    if (!result.passed) {
      const failures = report ? attributeFailures(report.failures, this.owners) : [];
      // A test gate that failed to compile reports build errors, not failures.
      errors = failures.length > 0 ? failures : parseBuildErrors(output, context.outputDirectory).filter((error) => error.severity === 'error');
    }
    const status: NonNullable<BuildAttempt['status']> = result.timedOut ? 'timed-out' : flaky ? 'flaky' : result.passed ? (report?.noTests ? 'no-tests' : 'passed') : 'failed';
    const attempt: BuildAttempt = { iteration, gate: gate.name, kind: gate.kind === 'setup' ? 'build' : gate.kind, status, command, passed: result.passed, exitCode: result.exitCode, timedOut: result.timedOut, durationMs: Math.round(result.durationMs), errors: errors.length, ...(report ? { tests: { passed: report.passed, failed: report.failed, skipped: report.skipped } } : {}), log, fixes: [] };
    this.record.attempts.push(attempt);
    if (status === 'no-tests') context.warn(`${gate.name}: the project has no tests; the test gate ran none`);
    context.emit({ kind: 'build-end', iteration, passed: result.passed, errors: errors.length, durationMs: attempt.durationMs, gate: gate.name, gateKind: gate.kind, status });
    context.decide('iterate', gate.name, `${gate.kind} gate (${gate.reason})`, command, result.cancelled ? 'cancelled' : result.timedOut ? 'timed out' : status === 'failed' ? `failed with ${errors.length} ${gate.kind === 'test' ? 'failures' : 'errors'}` : status, result.startError);
    context.save();
    return { attempt, result, errors };
  }

  private async readFile(file: string): Promise<string | undefined> {
    const target = await resolveInside(this.context.outputDirectory, file);
    return target.ok ? readFile(target.absolute, 'utf8').catch(() => undefined) : undefined;
  }

  private async failingFiles(errors: readonly GateError[]): Promise<FailingFile[]> {
    const byFile = new Map<string, GateError[]>();
    for (const error of errors) if (error.file !== undefined) byFile.set(error.file, [...(byFile.get(error.file) ?? []), error]);
    return Promise.all([...byFile].map(async ([file, fileErrors]) => ({ path: file, content: await this.readFile(file), errors: fileErrors.map(location) })));
  }

  /** Every owner's fix at once (within --workers), then the general fixer's, all written before the next round. */
  private async fix(attempt: BuildAttempt, errors: readonly GateError[], output: string, phase: PhaseRecord): Promise<void> {
    const { byOwner, unowned } = attributeErrors(errors, this.owners);
    const limiter = new Limiter(this.context.flags.workers);
    const jobs = [...byOwner].map(([owner, ownerErrors]) => limiter.run(() => this.fixFor(attempt, owner, ownerErrors, [], phase)));
    // Unattributed errors, or a gate that failed without a message we could read, go to the general fixer.
    const unreadable = errors.length === 0 ? [`(no error could be read from the output of \`${attempt.command}\`; its end:)\n${output}`] : [];
    if (unowned.length > 0 || unreadable.length > 0) jobs.push(limiter.run(() => this.fixFor(attempt, undefined, unowned, unreadable, phase)));
    await Promise.all(jobs);
  }

  /** What a fix did to test files: weakened tests, and test files it was not given. Flagged either way. */
  private async weakenedTests(produced: readonly ProducedFile[], given: ReadonlySet<string>): Promise<TestProblem[]> {
    const problems: TestProblem[] = [];
    for (const file of produced.filter((candidate) => isTestFile(candidate.path))) {
      const before = await this.readFile(file.path);
      if (before === undefined) continue;
      for (const weakening of testWeakenings(file.path, before, file.content)) problems.push({ file: file.path, message: weakening.message });
      if (!given.has(file.path) && before !== file.content) problems.push({ file: file.path, message: `${file.path} is a test file the fix was not asked to change` });
    }
    return problems;
  }

  private async fixFor(attempt: BuildAttempt, owner: number | undefined, errors: readonly GateError[], notes: readonly string[], phase: PhaseRecord): Promise<void> {
    const { context } = this;
    const authorship = owner === undefined ? undefined : this.authors.get(owner);
    const files = await this.failingFiles(errors);
    // The failing tests' files, for reference when the fix is asked of the code under test.
    const tests = [...new Set(errors.flatMap((error) => (error.testFile && !files.some((file) => file.path === error.testFile) ? [error.testFile] : [])))];
    const references = await Promise.all(tests.map(async (path) => ({ path, content: await this.readFile(path) })));
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
      const messages = fixMessages(context.record.task, authorship?.subtask, attempt.command, files, other, chain.systemPrompt, owner === undefined ? context.runDiff() : undefined, references);
      const given = new Set([...files.map((file) => file.path), ...tests.filter((test) => errors.some((error) => error.file === test))]);
      let routed = await context.call({ purpose: 'fix', role: 'polecat', chain, messages, subtask: subtaskRecord, stream: true }, phase);
      // The fix's edits apply to the files as they are on disk; what does not apply, or weakens a test
      // under --protect-tests, goes back once.
      let applied = await context.diskCopy().commit(parseAnswer(routed.result.text), owner ?? 0, { rewriteAllowed: false });
      let weakened = applied.ok ? await this.weakenedTests(producedOf(applied.files, owner), given) : [];
      if (!applied.ok || (weakened.length > 0 && context.flags.protectTests)) {
        const told = applied.ok ? { role: 'user' as const, content: `Your fix weakens the tests, which is not allowed (--protect-tests):\n${weakened.map((problem) => `- ${problem.message}`).join('\n')}\n\nFix the code under test instead, and answer again with every change.` } : applyProblemsMessage(applied.problems, 'Your fix cannot be applied:');
        const again = [...messages, { role: 'assistant' as const, content: routed.result.text }, told];
        routed = await context.call({ purpose: 'fix', role: 'polecat', chain: preferEntry(chain, routed.entry), messages: again, subtask: subtaskRecord, stream: true }, phase);
        applied = await context.diskCopy().commit(parseAnswer(routed.result.text), owner ?? 0, { rewriteAllowed: false });
        weakened = applied.ok ? await this.weakenedTests(producedOf(applied.files, owner), given) : [];
      }
      if (!applied.ok) throw new Error(`the fix's edits do not apply: ${applied.problems.map((problem) => problem.message.split('\n')[0]).join('; ')}`);
      this.flagWeakened(weakened, owner);
      if (weakened.length > 0 && context.flags.protectTests) throw new Error(`the fix weakens the tests (--protect-tests): ${weakened.map((problem) => problem.message).join('; ')}`);
      const report = await context.writeFiles(producedOf(applied.files, owner));
      // A worker owns what it fixed; what the general fixer wrote stays unowned, so it comes back to it.
      if (owner !== undefined) for (const written of report.written) this.owners.set(written.path, owner);
      fix.files = [...new Set([...fix.files, ...report.written.map((written) => written.path)])];
      fix.status = report.written.length > 0 ? 'succeeded' : 'failed';
      if (report.written.length === 0) fix.error = 'the fix wrote no file';
      context.decide('iterate', owner === undefined ? 'fixer' : `polecat-${owner}`, `fix ${errors.length} ${attempt.kind === 'test' ? 'failing test(s)' : 'error(s)'} of ${attempt.gate ?? 'the build'}`, `ask ${routed.entry.reference}`, `${report.written.length} file(s) written`, report.refused.map((refused) => `${refused.path}: ${refused.reason}`).join('\n') || undefined, routed.result.usage.outputTokens);
    } catch (error) {
      fix.status = 'failed';
      fix.error = messageOf(error);
    }
    context.save();
  }

  /** A weakened test is a finding on its file, and a warning: the user sees it even when it landed. */
  private flagWeakened(problems: readonly TestProblem[], owner: number | undefined): void {
    for (const problem of problems) {
      this.context.record.findings.push({ source: 'gates', subtask: owner ?? 0, file: problem.file, line: undefined, column: undefined, severity: 'warning', message: problem.message });
      this.context.warn(`a fix weakened the tests: ${problem.message}`);
    }
  }
}

function producedOf(files: ReadonlyMap<string, { content: string }>, owner: number | undefined): ProducedFile[] {
  return [...files].map(([path, { content }]) => ({ path, content, subtask: owner ?? 0 }));
}
