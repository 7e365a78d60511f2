// The run engine: one task in, files and a record out. Phases, as in electrictown:
//   map (the project's files and definitions) → decompose (mayor) → coordinate (mayor, with more than
//   one subtask) → workers (polecats in parallel, each subtask as soon as what it depends on is done:
//   work → validate → review ⟲ revise → commit to the working copy) → write → synthesize (mayor) →
//   polish (refinery).
// Every model call goes through the router (fallbacks, retries, ledger); every change to the record is
// saved to run.json and reported as an event. A failed worker does not stop the others; a cancel stops
// model calls at once; a budget stops new calls and keeps what was done.
import { setMaxListeners } from 'node:events';
import { statSync } from 'node:fs';
import path from 'node:path';
import { formatSelection } from '../context/context-block';
import { RunContext } from '../context/run-context';
import { SharedContext, type WorkerMaterial } from '../context/shared-context';
import { projectReader } from '../context/read-project-file';
import { lostDefinitions } from '../edits/lost-definitions';
import { runDiff } from '../edits/run-diff';
import { WorkingCopy } from '../edits/working-copy';
import type { ElectrictownConfig } from '../config/schema';
import { secretEnvNames } from '../config/secret-names';
import type { ResolvedPricing } from '../cost/pricing';
import type { ChatMessage } from '../providers/language-model';
import type { PhaseName, PhaseRecord, RunEvent, RunRecord, RunStatus } from '../protocol';
import { chainForPoolSlot, chainForRole, chainForSpecialist, maxTokensFor, type Chain, type ChainEntry } from '../router/chain';
import type { ModelRequest, RouteTarget } from '../router/model-router';
import type { RoutedResult } from '../router/router';
import { Budget, BudgetReachedError, RESERVED_OUTPUT_TOKENS } from './budget';
import { BudgetKeeper, type AskToRaise, type BudgetQuestion } from './budget-keeper';
import { RunCalls } from './run-calls';
import { parsePlan, type Subtask } from './decompose';
import { approvedPlan, PlanDeclinedError, type ApprovePlan } from './plan-approval';
import { Limiter } from './limiter';
import { coordinateMessages, decomposeMessages, outlineAnswer } from './messages';
import { continuedRecord, replayKeptAnswers } from './resume-state';
import { writeSummary, type SummaryContext } from './summary';
import type { RunFolder } from './run-folder';
import type { RunSettings } from './run-options';
import { changeRecord, newRunRecord, runSpend, subtaskRecord } from './run-record';
import { dependencyWaves } from './schedule';
import { endSubtask, messageOf, SubtaskWorker, type CallSpec, type WorkerOutcome } from './subtask-worker';
import { Iteration, type Authorship, type IterateContext } from './iterate';
import { chooseWitnessChain } from './witness-chain';
import { holdRunnableChanges, refusedPaths } from './write-phase';
import { removeStaleTemporaries, type FileWriter, type ProducedFile, type WriteReport } from './write-files';
import { openWriteScope, type ProtectedPlace, type WriteScope } from './containment';
import type { FollowUpRound } from './follow-up/follow-up-round';
import { currentRound, currentSubtasks, roundOfRecord } from './follow-up/round-record';
import { TranscriptRecorder } from '../transcript/transcript-recorder';

export const EXIT_CODES: Record<Exclude<RunStatus, 'running'>, number> = { succeeded: 0, failed: 1, budget_exceeded: 4, cancelled: 130 };
export const EXIT_BUILD_FAILED = 3;
/** As a usage error: --iterate with no gate it could find or was given. */
export const EXIT_NOTHING_TO_GATE = 2;
/** The run's diff the general fixer is shown, at most (about 10k tokens). */
const RUN_DIFF_CHARS = 40_000;

/** What the engine needs of the router (ModelRouter, or a test's). */
export interface RunRouter {
  chainFor(target: RouteTarget): Chain;
  request(request: ModelRequest, chain?: Chain): Promise<RoutedResult>;
  pricingFor(entry: ChainEntry): ResolvedPricing | undefined;
}

export interface RunInput {
  id: string;
  settings: RunSettings;
  config: ElectrictownConfig;
  configFile: RunRecord['config'];
  folder: RunFolder;
  /** To continue a run: its record and the answers its finished subtasks gave. */
  resume?: { record: RunRecord; answers: ReadonlyMap<number, string>; round?: FollowUpRound };
  /** To refine a finished run: the record its new round starts from, and the round (follow-up/). */
  followUp?: { record: RunRecord; round: FollowUpRound };
  /** Places no write may touch, besides git's (containment.ts): the config and the log folder. */
  protect?: readonly ProtectedPlace[];
  /** The config's secret values: kept out of the transcript (transcript/). */
  secrets?: readonly string[];
}

export interface EngineDependencies {
  router: RunRouter;
  /** Headless: to disk; in the editor: one workspace edit, or staged for review. */
  writeFiles: FileWriter;
  /** The client reviews every file before it lands (`writeMode: "review"`): nothing needs holding back. */
  reviewsEveryFile?: boolean;
  emit(event: RunEvent): void;
  /** Aborted to cancel the run. */
  signal: AbortSignal;
  now?: () => number;
  /** Asked when the budget is reached (a terminal's user, the editor): the new limit, or undefined to stop. */
  askToRaiseBudget?: AskToRaise;
  /** Asked after decompose when the run has `approvePlan` (a terminal's user, the editor). */
  approvePlan?: ApprovePlan;
}

class RunTimeoutError extends Error {
  constructor(minutes: number) {
    super(`the run passed its time limit of ${minutes} minute${minutes === 1 ? '' : 's'} (--timeout)`);
    this.name = 'RunTimeoutError';
  }
}

class Run implements IterateContext, SummaryContext {
  readonly record: RunRecord;
  private readonly budget: BudgetKeeper;
  private readonly calls: RunCalls;
  readonly signal: AbortSignal;
  private readonly timeout = new AbortController();
  readonly now: () => number;
  private readonly started: number;
  private readonly subtasks = new Map<number, Subtask>();
  private readonly witnessChains = new Map<string, Chain>();
  /** The chain each subtask ran on, for its fixes. */
  private readonly chains = new Map<number, Chain>();
  private buildFailed = false;
  /** The user cancelled at the plan. */
  private declined = false;
  /** --iterate found no gate to run: a usage problem, said with exit 2. */
  private nothingToGate = false;
  private readonly specialistTurns = new Map<string, number>();
  brief: string | undefined;
  private fatal: string | undefined;
  /** The project as the run sees it; what the write phase writes. */
  readonly workingCopy: WorkingCopy;
  private project: RunContext | undefined;
  private shared: SharedContext | undefined;
  private scope: Promise<WriteScope> | undefined;
  /** Subtasks a resumed run does not do again: their answers, applied to the working copy again. */
  private readonly kept = new Map<number, WorkerOutcome>();

  constructor(
    private readonly input: RunInput,
    private readonly deps: EngineDependencies,
  ) {
    this.now = deps.now ?? Date.now;
    this.started = this.now();
    this.record = input.followUp ? input.followUp.record : input.resume ? continuedRecord(input.resume.record, input.resume.answers, { config: input.configFile, pid: process.pid, now: new Date(this.started), flags: input.settings.flags }) : newRunRecord({ id: input.id, settings: input.settings, config: input.configFile, folder: input.folder.directory, startedAt: new Date(this.started), pid: process.pid });
    const flags = this.record.flags;
    this.budget = new BudgetKeeper(new Budget(flags.budgetUsd, this.record.totals.usd), { subtaskUsd: flags.subtaskBudgetUsd ?? null, maxTurns: flags.maxTurns ?? null }, deps.askToRaiseBudget && ((question) => this.askToRaise(question)));
    this.signal = AbortSignal.any([deps.signal, this.timeout.signal]);
    // Every call in flight listens on the run's signal; a wide pool passes Node's default of 10.
    setMaxListeners(0, this.signal);
    this.calls = new RunCalls({ router: deps.router, budget: this.budget, record: this.record, signal: this.signal, emit: (event) => this.emit(event), warn: (message) => this.warn(message), save: () => this.save() });
    this.workingCopy = new WorkingCopy(projectReader(() => this.writeScope()), lostDefinitions);
  }

  /** Where writes (and reads of project files) may go, resolved once. */
  private writeScope(): Promise<WriteScope> {
    this.scope ??= openWriteScope(this.input.settings.outputDirectory, this.input.protect);
    return this.scope;
  }

  get secretNames(): readonly string[] {
    return secretEnvNames(this.input.config);
  }

  get flags() {
    return this.record.flags;
  }

  keepAnswer(subtask: number, text: string): void {
    this.input.folder.keepAnswer(subtask, text).catch((error: unknown) => this.warn(`the answer of subtask ${subtask} could not be kept: ${messageOf(error)}`));
  }

  keepPrompt(subtask: number, messages: readonly ChatMessage[]): void {
    this.input.folder.keepPrompt(subtask, messages).catch((error: unknown) => this.warn(`the prompt of subtask ${subtask} could not be kept: ${messageOf(error)}`));
  }

  continuedConversation(subtask: Subtask, material: readonly string[]): ChatMessage[] | undefined {
    return (this.input.followUp?.round ?? this.input.resume?.round)?.conversation(subtask, material);
  }

  emit(event: RunEvent): void {
    this.deps.emit(event);
  }

  save(): void {
    this.input.folder.saveRecord(this.record).catch((error: unknown) => this.warn(`run.json could not be written: ${messageOf(error)}`, false));
  }

  warn(message: string, save = true): void {
    this.record.warnings.push(message);
    this.emit({ kind: 'warning-add', message });
    if (save) this.save();
  }

  decide(phase: string, agent: string, intent: string, action: string, outcome: string, detail?: string, tokenCost?: number): void {
    void this.input.folder
      .decide({ timestamp: new Date(this.now()).toISOString(), phase, agent, intent, action, outcome, ...(detail === undefined ? {} : { detail }), ...(tokenCost === undefined ? {} : { token_cost: tokenCost }) })
      .catch(() => undefined);
  }

  // ---- phases ----

  phase(name: PhaseName): PhaseRecord {
    let phase = this.record.phases.find((candidate) => candidate.name === name);
    if (!phase) {
      phase = { name, startedAt: new Date(this.now()).toISOString(), endedAt: undefined, durationMs: undefined, attempts: [] };
      this.record.phases.push(phase);
      this.emit({ kind: 'phase-start', phase: name });
      this.save();
    }
    return phase;
  }

  private endPhase(name: PhaseName): void {
    const phase = this.record.phases.find((candidate) => candidate.name === name);
    if (!phase || phase.endedAt !== undefined) return;
    const ended = this.now();
    phase.endedAt = new Date(ended).toISOString();
    phase.durationMs = ended - Date.parse(phase.startedAt);
    this.emit({ kind: 'phase-end', phase: name, durationMs: phase.durationMs });
    this.save();
  }

  async inPhase<T>(name: PhaseName, work: (phase: PhaseRecord) => Promise<T>): Promise<T> {
    const phase = this.phase(name);
    try {
      return await work(phase);
    } finally {
      this.endPhase(name);
    }
  }

  // ---- model calls ----

  /** The user raised the budget: the run goes on under the new one, and its record says so. */
  private async askToRaise(question: BudgetQuestion): Promise<number | undefined> {
    // A run cancelled while the question is open stops; the question's answer no longer matters.
    const cancelled = new Promise<undefined>((resolve) => this.signal.addEventListener('abort', () => resolve(undefined), { once: true }));
    const answer = this.signal.aborted ? undefined : await Promise.race([this.deps.askToRaiseBudget?.(question), cancelled]);
    if (answer !== undefined && Number.isFinite(answer) && answer > question.limitUsd) {
      this.flags.budgetUsd = answer;
      (this.record.budgetRaises ??= []).push({ fromUsd: question.limitUsd, toUsd: answer, at: new Date(this.now()).toISOString() });
      this.decide('budget', 'user', `the budget of $${question.limitUsd.toFixed(2)} was reached`, `raise it to $${answer.toFixed(2)}`, 'raised');
      this.emit({ kind: 'cost-update', spend: runSpend(this.record), budgetUsd: answer });
      this.save();
    }
    return answer;
  }

  get stopped(): boolean {
    return this.signal.aborted || this.budget.stopped;
  }

  call(spec: CallSpec, phase?: PhaseRecord): Promise<RoutedResult> {
    return this.calls.call(spec, phase);
  }


  // ---- decompose and coordinate ----

  private supervisorChain(): Chain {
    return this.deps.router.chainFor({ role: this.flags.role });
  }

  /** The project map, read before the mayor plans (from the cache when nothing changed). */
  private async mapProject(): Promise<void> {
    await this.inPhase('map', async () => {
      const root = this.outputDirectory;
      const isFile = (relative: string) => statSync(path.join(root, relative), { throwIfNoEntry: false })?.isFile() === true;
      const project = await RunContext.open({ root, logDirectory: path.dirname(this.input.folder.directory), patterns: this.flags.context ?? [], mapTokens: this.flags.mapTokens ?? 0, signal: this.signal }, isFile);
      this.project = project;
      for (const warning of project.warnings) this.warn(warning);
      const { index } = project;
      this.record.project = { files: index.files.length, skipped: index.skipped.length, omitted: index.omitted, parsed: index.stats.parsed, fromCache: index.stats.fromCache, durationMs: Math.round(index.stats.ms), notes: [...index.notes], context: [...project.contextFiles], mapTokens: 0 };
      this.decide('map', 'engine', 'map the project', `map ${root}`, `${index.files.length} files (${index.stats.fromCache} from the cache)`, index.notes.join('\n') || undefined);
    });
  }

  /** What a worker is shown: what every worker is shown alike (shared-context.ts), then its own files and the map around them. */
  material(subtask: Subtask): Promise<WorkerMaterial> {
    this.shared ??= new SharedContext(this.project, this.workingCopy, this.record.task, this.selectionSections());
    return this.shared.forWorker(subtask.files, subtask.text);
  }

  private selectionSections(): string[] {
    return this.flags.selection ? [formatSelection(this.flags.selection)] : [];
  }

  private async decompose(): Promise<Subtask[]> {
    const followUp = this.input.followUp?.round;
    // A refinement's round: the mayor plans only what it needs (follow-up/).
    if (followUp) return this.adopt(await this.inPhase('decompose', (phase) => followUp.plan(this, { phase, chain: this.supervisorChain(), specialists: this.specialistNotes(), mayorMap: (focus) => this.project?.mayorMap(focus), filesOf: (files, text) => (this.project ? this.project.filesOf(files, text) : [...files]), reviewed: this.deps.reviewsEveryFile === true, approve: this.planApprover() })));
    // A resumed run keeps its plan (of its current round).
    if (this.record.subtasks.length > 0) return this.adopt(currentSubtasks(this.record).map(({ index, text, dependsOn, specialist, plannedFiles }): Subtask => ({ index, text, dependsOn, specialist, files: plannedFiles ?? [] })));
    return this.inPhase('decompose', async (phase) => {
      const chain = this.supervisorChain();
      const specialists = this.specialistNotes();
      const map = this.project?.mayorMap(this.record.task);
      const given = this.project ? await this.project.contextMaterial(this.workingCopy, this.record.task) : undefined;
      if (this.record.project) this.record.project.mapTokens = map === undefined ? 0 : Math.ceil(map.length / 4);
      const routed = await this.call({ purpose: 'decompose', role: this.flags.role, chain, messages: decomposeMessages(this.record.task, this.flags.maxSubtasks, specialists, chain.systemPrompt, { map, sections: [...this.selectionSections(), ...(given?.sections ?? [])] }) }, phase);
      let plan;
      try {
        plan = parsePlan(routed.result.text, { specialists: specialists.map((specialist) => specialist.name), maxSubtasks: this.flags.maxSubtasks });
        dependencyWaves(plan.subtasks);
      } catch (error) {
        this.decide('decompose', this.flags.role, 'split the task into subtasks', 'parse the plan', 'failed', `${messageOf(error)}; the answer began: ${routed.result.text.slice(0, 300)}`);
        throw error;
      }
      for (const warning of plan.warnings) this.warn(warning);
      for (const subtask of plan.subtasks) subtask.files = this.project ? this.project.filesOf(subtask.files, subtask.text) : subtask.files;
      if (this.flags.approvePlan && this.deps.approvePlan) plan.subtasks = await this.approvedPlan(plan.subtasks, specialists.map((specialist) => specialist.name));
      this.record.subtasks = plan.subtasks.map(subtaskRecord);
      this.adopt(plan.subtasks);
      this.decide('decompose', this.flags.role, 'split the task into subtasks', `ask ${routed.entry.reference}`, `${plan.subtasks.length} subtasks`, plan.subtasks.map((subtask) => `${subtask.index}. ${subtask.text.split('\n')[0]}`).join('\n'), routed.result.usage.outputTokens);
      this.save();
      return plan.subtasks;
    });
  }

  /** The plan the run goes on with, known by index and announced. */
  private adopt(subtasks: Subtask[]): Subtask[] {
    for (const subtask of subtasks) this.subtasks.set(subtask.index, subtask);
    this.emit({ kind: 'plan-ready', subtasks: subtasks.map(({ index, text, dependsOn, specialist, files }) => ({ index, text, dependsOn, specialist, files })) });
    this.save();
    return subtasks;
  }

  private specialistNotes(): { name: string; description: string | undefined }[] {
    return this.flags.specialists ? Object.entries(this.input.config.specialists ?? {}).map(([name, specialist]) => ({ name, description: specialist.description })) : [];
  }

  /** A follow-up round's plan approval, when the run asks for one. */
  private planApprover(): ((subtasks: Subtask[], firstIndex: number) => Promise<Subtask[]>) | undefined {
    if (!this.flags.approvePlan || !this.deps.approvePlan) return undefined;
    const followUp = { round: currentRound(this.record), refinement: this.record.refinement ?? '' };
    return (subtasks, firstIndex) => this.approvedPlan(subtasks, this.specialistNotes().map((specialist) => specialist.name), { ...followUp, firstIndex });
  }

  /** The plan as the user approved it, after any edits (plan-approval.ts); throws PlanDeclinedError when cancelled. */
  private approvedPlan(proposed: Subtask[], specialists: string[], followUp?: { round: number; refinement: string; firstIndex: number }): Promise<Subtask[]> {
    const first = (role: string) => {
      const chain = this.deps.router.chainFor({ role });
      const entry = chain.entries[0] ?? chain.pool[0];
      return { pricing: entry ? this.deps.router.pricingFor(entry)?.pricing : undefined, maxTokens: (entry ? maxTokensFor(chain, entry) : undefined) ?? RESERVED_OUTPUT_TOKENS };
    };
    return approvedPlan(proposed, {
      runId: this.record.id,
      task: this.record.task,
      followUp,
      specialists,
      maxSubtasks: this.flags.maxSubtasks,
      approve: this.deps.approvePlan as ApprovePlan,
      signal: this.signal,
      filesOf: (files, text) => (this.project ? this.project.filesOf(files, text) : files),
      estimateInputs: () => ({ root: this.input.settings.outputDirectory, mapTokens: this.record.project?.mapTokens ?? 0, worker: first('polecat'), witness: this.flags.reviewer ? first('witness') : undefined }),
      decide: (action, outcome, detail) => this.decide('decompose', 'user', 'approve the plan', action, outcome, detail),
      warn: (message) => this.warn(message),
      declined: () => (this.declined = true),
    });
  }

  private async coordinate(subtasks: readonly Subtask[]): Promise<void> {
    if (!this.flags.coordinate || subtasks.length < 2) return;
    if (this.record.brief !== undefined) {
      this.brief = this.record.brief;
      return;
    }
    await this.inPhase('coordinate', async (phase) => {
      const chain = this.supervisorChain();
      const routed = await this.call({ purpose: 'coordinate', role: this.flags.role, chain, messages: coordinateMessages(this.record.task, subtasks, chain.systemPrompt) }, phase);
      this.brief = routed.result.text.trim() || undefined;
      this.record.brief = this.brief;
      this.decide('coordinate', this.flags.role, 'give every worker the same names, types and files', `ask ${routed.entry.reference}`, this.brief ? 'brief written' : 'empty brief', undefined, routed.result.usage.outputTokens);
    });
  }

  // ---- workers ----

  private workerChain(subtask: Subtask): Chain {
    const { config } = this.input;
    if (subtask.specialist === undefined || !this.flags.specialists) return this.deps.router.chainFor({ role: 'polecat' });
    const turn = this.specialistTurns.get(subtask.specialist) ?? 0;
    this.specialistTurns.set(subtask.specialist, turn + 1);
    return chainForPoolSlot(chainForSpecialist(config, subtask.specialist), turn);
  }

  /** The witness's chain for an answer by `author`, chosen once per author model. */
  witnessChain(author: ChainEntry): Chain {
    const key = `${author.provider}/${author.modelId}`;
    const known = this.witnessChains.get(key);
    if (known) return known;
    const choice = chooseWitnessChain(this.input.config, this.flags.role, author);
    if (choice.warning) this.warn(choice.warning);
    this.witnessChains.set(key, choice.chain);
    return choice.chain;
  }



  /** A resumed run first clears the temp files of a write the kill cut short. */
  private async clearKilledWrites(): Promise<void> {
    if (!this.input.resume) return;
    const touched = [...this.record.files.written.map((file) => file.path), ...(this.record.changes ?? []).map((change) => change.path), ...this.record.subtasks.flatMap((subtask) => [...subtask.files, ...(subtask.plannedFiles ?? [])])];
    const removed = await removeStaleTemporaries(this.outputDirectory, touched).catch(() => []);
    if (removed.length > 0) this.decide('resume', 'engine', 'clear a killed write', 'remove temp files', `${removed.length} removed`, removed.join('\n'));
  }

  private async runWorkers(subtasks: readonly Subtask[]): Promise<WorkerOutcome[]> {
    await this.clearKilledWrites();
    const resume = this.input.resume;
    if (resume) {
      // A resumed follow-up round starts from the pending proposals, as it did (follow-up/).
      if (this.deps.reviewsEveryFile) await resume.round?.seedPending(this);
      const kept = await replayKeptAnswers({ record: this.record, answers: resume.answers, config: this.input.config, copy: this.workingCopy, subtaskText: (index) => this.subtasks.get(index)?.text, warn: (message) => this.warn(message) });
      for (const [index, outcome] of kept) this.kept.set(index, outcome);
    }
    const limiter = new Limiter(this.flags.workers);
    const outcomes = new Map<number, Promise<WorkerOutcome>>();
    this.phase('workers');
    for (const index of dependencyWaves(subtasks).flat()) {
      const subtask = this.subtasks.get(index) as Subtask;
      outcomes.set(
        index,
        (async () => {
          const kept = this.kept.get(index);
          if (kept) return kept;
          const dependencies = await Promise.all(subtask.dependsOn.map((dependency) => outcomes.get(dependency) as Promise<WorkerOutcome>));
          const missing = dependencies.find((dependency) => dependency.status !== 'succeeded');
          if (missing) {
            const record = this.record.subtasks[index - 1];
            const status = missing.status === 'cancelled' ? 'cancelled' : 'skipped';
            endSubtask(this, record, status, `subtask ${missing.index}, which it depends on, did not finish (${missing.status})`);
            return { index, status, answer: undefined, files: [], author: undefined };
          }
          const outputs = dependencies.map((dependency) => ({ index: dependency.index, text: this.subtasks.get(dependency.index)?.text ?? '', answer: dependency.answer ?? '' }));
          return limiter.run(() => {
            const chain = this.workerChain(subtask);
            this.chains.set(index, chain);
            return new SubtaskWorker(this, subtask, chain).run(outputs);
          });
        })(),
      );
    }
    const results = await Promise.all([...outcomes.values()]);
    this.endPhase('workers');
    for (const name of ['validate', 'review'] as const) {
      const phase = this.record.phases.find((candidate) => candidate.name === name);
      if (phase?.durationMs !== undefined) this.emit({ kind: 'phase-end', phase: name, durationMs: phase.durationMs });
    }
    return results.sort((a, b) => a.index - b.index);
  }

  // ---- synthesize, polish, write ----

  private async synthesize(outcomes: readonly WorkerOutcome[]): Promise<void> {
    if (!this.flags.synthesize || this.stopped || !outcomes.some((outcome) => outcome.status === 'succeeded')) return;
    const results = outcomes.map((outcome) => ({ index: outcome.index, text: this.subtasks.get(outcome.index)?.text ?? '', status: outcome.status, outline: outcome.answer === undefined ? this.record.subtasks[outcome.index - 1].error ?? 'no answer' : outlineAnswer(outcome.answer, outcome.files) }));
    const text = await writeSummary(this, results, { supervisor: this.supervisorChain(), refinery: () => chainForRole(this.input.config, 'refinery') });
    if (text === undefined) return;
    this.input.folder.writeText('_synthesis.md', `${text}\n`).catch((error: unknown) => this.warn(`_synthesis.md could not be written: ${messageOf(error)}`));
    this.record.synthesis = '_synthesis.md';
    this.emit({ kind: 'synthesis-end', text });
    this.save();
  }


  private async keepOutputs(outcomes: readonly WorkerOutcome[], all: boolean): Promise<void> {
    for (const outcome of outcomes) {
      if (outcome.answer === undefined || (!all && outcome.files.length > 0)) continue;
      const name = `worker-${outcome.index}.out` as const;
      await this.input.folder.writeText(name, outcome.answer.endsWith('\n') ? outcome.answer : `${outcome.answer}\n`);
      this.record.subtasks[outcome.index - 1].output = name;
    }
  }

  private async write(outcomes: readonly WorkerOutcome[]): Promise<void> {
    const all = this.workingCopy.changes();
    await this.keepOutputs(outcomes, false);
    if (all.length === 0 && refusedPaths(outcomes, this.workingCopy).length === 0) return;
    await this.inPhase('write', async () => {
      const { held, marked, findings } = await holdRunnableChanges(all, { subtaskText: (index) => this.subtasks.get(index)?.text ?? '', runFolder: this.input.folder.directory, reviewsEveryFile: this.deps.reviewsEveryFile === true });
      this.record.findings.push(...findings);
      const heldPaths = new Set(held.map((file) => file.path));
      const changes = all.filter((change) => !heldPaths.has(change.path));
      const produced: ProducedFile[] = [...changes.map((change) => ({ path: change.path, content: change.after, subtask: change.subtasks[change.subtasks.length - 1], before: change.before ?? null })), ...refusedPaths(outcomes, this.workingCopy)];
      const report = await this.deps.writeFiles(this.input.settings.outputDirectory, produced, this.input.protect);
      report.refused.push(...held);
      for (const file of report.proposed ?? []) if (marked.has(file.path)) file.runsCode = marked.get(file.path);
      this.record.files = report;
      this.record.changes = changes.map(changeRecord);
      for (const file of report.written) this.emit({ kind: 'file-write', ...file });
      for (const file of report.proposed ?? []) this.emit({ kind: 'file-propose', ...file });
      for (const file of report.refused) {
        this.emit({ kind: 'file-refuse', ...file });
        if (!this.record.findings.some((finding) => finding.file === file.path && finding.subtask === file.subtask && finding.severity === 'error')) {
          this.record.findings.push({ source: 'file-blocks', subtask: file.subtask, file: file.path, line: undefined, column: undefined, severity: 'error', message: `not written: ${file.reason}` });
        }
      }
      for (const change of changes.filter((candidate) => candidate.subtasks.length > 1)) this.decide('write', 'engine', `merge the changes to ${change.path}`, 'apply in order', `subtasks ${change.subtasks.join(', ')}`);
      this.decide('write', 'engine', `write files into ${this.input.settings.outputDirectory}`, 'write', `${report.proposed ? `${report.proposed.length} proposed for review` : `${report.written.length} written`}, ${report.refused.length} refused`, report.refused.map((file) => `${file.path}: ${file.reason}`).join('\n') || undefined);
    });
  }

  // ---- the whole run ----

  private async iterate(outcomes: readonly WorkerOutcome[]): Promise<void> {
    const authors = new Map<number, Authorship>();
    for (const outcome of outcomes) {
      const subtask = this.subtasks.get(outcome.index);
      // A subtask a resumed run did not run again has no chain yet: it gets the one it would have had.
      if (subtask) authors.set(outcome.index, { subtask, chain: this.chains.get(outcome.index) ?? this.workerChain(subtask), author: outcome.author });
    }
    // Who fixes a file: the subtask that changed it last (pre-existing files it edited included).
    const owners = new Map(this.record.files.written.map((file) => [file.path, file.subtask]));
    for (const [file, owner] of this.workingCopy.owners()) if (owners.has(file)) owners.set(file, owner);
    const build = await this.inPhase('iterate', (phase) => new Iteration(this, authors, owners).run(phase));
    this.buildFailed = build.status === 'failed';
    this.nothingToGate = build.nothingToRun === true;
    this.save();
  }

  get logDirectory(): string {
    return path.dirname(this.input.folder.directory);
  }

  get outputDirectory(): string {
    return this.input.settings.outputDirectory;
  }

  runDiff(): string | undefined {
    const changes = this.workingCopy.changes();
    return changes.length === 0 ? undefined : runDiff(changes, RUN_DIFF_CHARS);
  }

  diskCopy(): WorkingCopy {
    return new WorkingCopy(projectReader(() => this.writeScope()), lostDefinitions);
  }

  polecatChain(): Chain {
    return this.deps.router.chainFor({ role: 'polecat' });
  }

  writeLog(name: `_${string}.log`, text: string): Promise<void> {
    return this.input.folder.writeText(name, text);
  }

  /** Files written after the write phase (fixes): checked and written the same way, and recorded. */
  async writeFiles(files: readonly ProducedFile[]): Promise<WriteReport> {
    const report = await this.deps.writeFiles(this.input.settings.outputDirectory, files, this.input.protect);
    const { written, refused, conflicts } = this.record.files;
    for (const file of report.written) {
      const known = written.findIndex((previous) => previous.path === file.path);
      if (known === -1) written.push(file);
      else written[known] = file;
      this.emit({ kind: 'file-write', ...file });
    }
    for (const file of report.refused) this.emit({ kind: 'file-refuse', ...file });
    refused.push(...report.refused);
    conflicts.push(...report.conflicts);
    return report;
  }

  private finalStatus(outcomes: readonly WorkerOutcome[]): RunStatus {
    if (this.deps.signal.aborted || this.declined) return 'cancelled';
    if (this.fatal !== undefined || this.timeout.signal.aborted || this.buildFailed || this.nothingToGate) return 'failed';
    if (this.budget.stopped) return 'budget_exceeded';
    return outcomes.every((outcome) => outcome.status === 'succeeded') ? 'succeeded' : 'failed';
  }

  async run(): Promise<RunRecord> {
    const { settings } = this.input;
    this.emit({ kind: 'run-start', runId: this.record.id, task: this.record.task, folder: this.record.folder, outputDir: settings.outputDirectory, workers: this.flags.workers, ...roundOfRecord(this.record) });
    this.save();
    const timer = setTimeout(() => this.timeout.abort(new RunTimeoutError(this.flags.timeoutMinutes)), this.flags.timeoutMinutes * 60_000);
    timer.unref();
    let outcomes: WorkerOutcome[] = [];
    let writing: Promise<unknown> | undefined;
    try {
      await this.mapProject();
      const subtasks = await this.decompose();
      await this.coordinate(subtasks);
      outcomes = await this.runWorkers(subtasks);
      // The files do not wait for the summary, which is text only: they are written while it is written —
      // unless the build must see them first. A cancelled run writes nothing into the project.
      if (!this.deps.signal.aborted) writing = this.write(outcomes).catch((error: unknown) => (this.fatal ??= `files could not be written: ${messageOf(error)}`));
      if (writing && this.flags.iterate) {
        await writing;
        if (this.fatal === undefined && !this.stopped) await this.iterate(outcomes);
      }
      await this.synthesize(outcomes);
    } catch (error) {
      if (!this.signal.aborted && !(error instanceof BudgetReachedError) && !(error instanceof PlanDeclinedError)) this.fatal ??= messageOf(error);
    } finally {
      clearTimeout(timer);
    }
    await writing;
    const status = this.finalStatus(outcomes);
    // Every answer of a cancelled run is kept in the run folder instead.
    if (writing === undefined) await this.keepOutputs(outcomes, true);
    return this.finish(this.fatal !== undefined && status !== 'cancelled' ? 'failed' : status, outcomes);
  }

  private async finish(status: RunStatus, outcomes: readonly WorkerOutcome[]): Promise<RunRecord> {
    const ended = this.now();
    const record = this.record;
    // Subtasks the run never reached.
    for (const subtask of record.subtasks) {
      if (subtask.status === 'pending' || subtask.status === 'running') {
        subtask.status = status === 'cancelled' ? 'cancelled' : 'skipped';
        subtask.error ??= status === 'budget_exceeded' ? 'the budget was reached before it started' : 'the run stopped before it started';
      }
    }
    record.status = status;
    // A run whose only failure is a build that still fails exits 3, as electrictown's scripts expect.
    const onlyTheBuild = status === 'failed' && this.buildFailed && this.fatal === undefined && !this.timeout.signal.aborted && outcomes.every((outcome) => outcome.status === 'succeeded');
    const nothingToGate = status === 'failed' && this.nothingToGate && this.fatal === undefined && outcomes.every((outcome) => outcome.status === 'succeeded');
    record.exitCode = nothingToGate ? EXIT_NOTHING_TO_GATE : onlyTheBuild ? EXIT_BUILD_FAILED : EXIT_CODES[status as Exclude<RunStatus, 'running'>];
    record.endedAt = new Date(ended).toISOString();
    record.error = this.describeEnd(status, outcomes);
    this.decide('run', 'engine', 'finish the run', 'end', status, record.error);
    const end = { status, exitCode: record.exitCode, error: record.error, durationMs: ended - this.started, spend: runSpend(record) };
    // A follow-up round cancelled at its plan leaves the run as it was (follow-up/).
    if (this.declined) this.input.followUp?.round.undo(record);
    this.save();
    await this.input.folder.settled();
    this.emit({ kind: 'run-end', ...end });
    return record;
  }

  private describeEnd(status: RunStatus, outcomes: readonly WorkerOutcome[]): string | undefined {
    if (status === 'succeeded') return undefined;
    if (status === 'cancelled') return 'cancelled';
    if (this.timeout.signal.aborted) return messageOf(this.timeout.signal.reason);
    if (this.fatal !== undefined) return this.fatal;
    if (this.nothingToGate) return `--iterate had ${this.record.build?.reason ?? 'nothing to run'}`;
    if (this.buildFailed && this.record.build) return `the gates still fail: ${this.record.build.reason ?? `${this.record.build.attempts.at(-1)?.gate ?? 'the build'} has ${this.record.build.attempts.at(-1)?.errors ?? 0} ${this.record.build.attempts.at(-1)?.kind === 'test' ? 'failing tests' : 'errors'}`}`;
    if (status === 'budget_exceeded') return `the budget of $${(this.flags.budgetUsd ?? 0).toFixed(2)} was reached ($${this.budget.run.spent.toFixed(4)} spent); no new model calls were made`;
    const failed = outcomes.filter((outcome) => outcome.status !== 'succeeded');
    return `${failed.length} of ${outcomes.length} subtasks did not finish: ${failed.map((outcome) => `${outcome.index} (${outcome.status}: ${this.record.subtasks[outcome.index - 1].error ?? ''})`).join(', ')}`;
  }
}

export interface StartedRun {
  /** The record as it stands, changing as the run goes (what `electrictown/getRun` answers). */
  record: RunRecord;
  finished: Promise<RunRecord>;
}

/** Starts a task; `finished` never rejects for what a run can go through (a failing model, a cancel). */
export function startRun(input: RunInput, deps: EngineDependencies): StartedRun {
  const transcript = new TranscriptRecorder(input.folder, input.secrets ?? [], deps.now);
  const run = new Run(input, transcript.wrap(deps));
  transcript.attach(run);
  return { record: run.record, finished: run.run() };
}

export function runTask(input: RunInput, deps: EngineDependencies): Promise<RunRecord> {
  return startRun(input, deps).finished;
}
