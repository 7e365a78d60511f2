// The run engine: one task in, files and a record out. Phases, as in electrictown:
//   decompose (mayor) → coordinate (mayor, with more than one subtask) → workers (polecats in parallel,
//   each subtask as soon as what it depends on is done: work → validate → review ⟲ revise) →
//   synthesize (mayor) → polish (refinery) → write.
// Every model call goes through the router (fallbacks, retries, ledger); every change to the record is
// saved to run.json and reported as an event. A failed worker does not stop the others; a cancel stops
// model calls at once; a budget stops new calls and keeps what was done.
import { setMaxListeners } from 'node:events';
import type { ElectrictownConfig } from '../config/schema';
import type { ResolvedPricing } from '../cost/pricing';
import type { ChatMessage } from '../providers/language-model';
import type { CallPurpose, PhaseName, PhaseRecord, RunEvent, RunFinding, RunRecord, RunStatus, SubtaskRecord } from '../protocol';
import { chainForModel, chainForPoolSlot, chainForRole, chainForSpecialist, preferEntry, sameModel, type Chain, type ChainEntry } from '../router/chain';
import type { ModelRequest, RouteTarget } from '../router/model-router';
import type { RoutedResult } from '../router/router';
import { estimatePromptTokens } from '../providers/token-estimate';
import { Budget, BudgetReachedError } from './budget';
import { parsePlan, type Subtask } from './decompose';
import { parseFileBlocks, type FileBlock } from './file-blocks';
import { Limiter } from './limiter';
import { coordinateMessages, correctionMessage, decomposeMessages, feedbackMessage, outlineAnswer, polishMessages, reviewMessages, synthesizeMessages, workerMessages, type DependencyOutput } from './messages';
import { parseReview } from './review';
import type { RunFolder } from './run-folder';
import type { RunSettings } from './run-options';
import { addToSpend, newRunRecord, recordAttempt, runAttempt, runSpend, subtaskRecord } from './run-record';
import { dependencyWaves } from './schedule';
import { checkAnswer } from './validate';
import type { ProducedFile, WriteReport } from './write-files';

export const EXIT_CODES: Record<Exclude<RunStatus, 'running'>, number> = { succeeded: 0, failed: 1, budget_exceeded: 4, cancelled: 130 };

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
}

export interface EngineDependencies {
  router: RunRouter;
  /** Headless: to disk; in the editor: one workspace edit. */
  writeFiles(outputDirectory: string, files: readonly ProducedFile[]): Promise<WriteReport>;
  emit(event: RunEvent): void;
  /** Aborted to cancel the run. */
  signal: AbortSignal;
  now?: () => number;
}

class RunTimeoutError extends Error {
  constructor(minutes: number) {
    super(`the run passed its time limit of ${minutes} minute${minutes === 1 ? '' : 's'} (--timeout)`);
    this.name = 'RunTimeoutError';
  }
}

/** Subtask work that ended: its final answer and files, if it got that far. */
interface WorkerOutcome {
  index: number;
  status: SubtaskRecord['status'];
  answer: string | undefined;
  files: FileBlock[];
}

interface CallSpec {
  purpose: CallPurpose;
  role: string;
  chain: Chain;
  messages: ChatMessage[];
  subtask?: SubtaskRecord;
  stream?: boolean;
}

const normalise = (text: string) => text.replace(/\r\n?/g, '\n').trim();
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

class Run {
  readonly record: RunRecord;
  private readonly budget: Budget;
  private readonly signal: AbortSignal;
  private readonly timeout = new AbortController();
  private readonly now: () => number;
  private readonly started: number;
  private readonly subtasks = new Map<number, Subtask>();
  private readonly witnessChains = new Map<string, Chain>();
  private readonly specialistTurns = new Map<string, number>();
  private readonly unpricedWarned = new Set<string>();
  private brief: string | undefined;
  private fatal: string | undefined;

  constructor(
    private readonly input: RunInput,
    private readonly deps: EngineDependencies,
  ) {
    this.now = deps.now ?? Date.now;
    this.started = this.now();
    this.record = newRunRecord({ id: input.id, settings: input.settings, config: input.configFile, folder: input.folder.directory, startedAt: new Date(this.started), pid: process.pid });
    this.budget = new Budget(input.settings.flags.budgetUsd);
    this.signal = AbortSignal.any([deps.signal, this.timeout.signal]);
    // Every call in flight listens on the run's signal; a wide pool passes Node's default of 10.
    setMaxListeners(0, this.signal);
  }

  private get flags() {
    return this.record.flags;
  }

  private emit(event: RunEvent): void {
    this.deps.emit(event);
  }

  private save(): void {
    this.input.folder.saveRecord(this.record).catch((error: unknown) => this.warn(`run.json could not be written: ${messageOf(error)}`, false));
  }

  private warn(message: string, save = true): void {
    this.record.warnings.push(message);
    this.emit({ kind: 'warning-add', message });
    if (save) this.save();
  }

  private decide(phase: string, agent: string, intent: string, action: string, outcome: string, detail?: string, tokenCost?: number): void {
    void this.input.folder
      .decide({ timestamp: new Date(this.now()).toISOString(), phase, agent, intent, action, outcome, ...(detail === undefined ? {} : { detail }), ...(tokenCost === undefined ? {} : { token_cost: tokenCost }) })
      .catch(() => undefined);
  }

  // ---- phases ----

  private phase(name: PhaseName): PhaseRecord {
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

  private async inPhase<T>(name: PhaseName, work: (phase: PhaseRecord) => Promise<T>): Promise<T> {
    const phase = this.phase(name);
    try {
      return await work(phase);
    } finally {
      this.endPhase(name);
    }
  }

  // ---- model calls ----

  /** What the prompt alone will cost on the chain's first model: the least the call can cost. */
  private leastCostUsd(chain: Chain, messages: readonly ChatMessage[]): number {
    const first = chain.entries[0] ?? chain.pool[0];
    const price = first ? this.deps.router.pricingFor(first)?.pricing?.input : undefined;
    return price === undefined ? 0 : (estimatePromptTokens(messages) * price) / 1_000_000;
  }

  private get stopped(): boolean {
    return this.signal.aborted || this.budget.exceeded;
  }

  private async call(spec: CallSpec, phase?: PhaseRecord): Promise<RoutedResult> {
    this.signal.throwIfAborted();
    if (!this.budget.allows(this.leastCostUsd(spec.chain, spec.messages))) throw new BudgetReachedError(this.budget.limitUsd ?? 0, this.budget.spent);
    const subtask = spec.subtask;
    return this.deps.router.request(
      {
        target: { role: spec.role },
        messages: spec.messages,
        signal: this.signal,
        stream: spec.stream,
        runId: this.record.id,
        onEvent: (event) => {
          if (event.type === 'text-delta') {
            if (subtask) this.emit({ kind: 'text-delta', subtask: subtask.index, text: event.text });
          } else if (event.type === 'restart') {
            if (subtask) this.emit({ kind: 'text-restart', subtask: subtask.index, discardedChars: event.discardedChars });
          } else if (event.type === 'attempt-end') {
            const attempt = runAttempt(event, spec.purpose, spec.role);
            (subtask?.attempts ?? phase?.attempts)?.push(attempt);
            if (subtask) addToSpend(subtask.spend, attempt);
            recordAttempt(this.record, attempt);
            this.budget.record(attempt.usd);
            this.emit({ kind: 'attempt-end', subtask: subtask?.index, ...attempt });
            this.emit({ kind: 'cost-update', spend: runSpend(this.record), budgetUsd: this.flags.budgetUsd });
            if (attempt.usd === null && this.flags.budgetUsd !== null && !this.unpricedWarned.has(attempt.reference)) {
              this.unpricedWarned.add(attempt.reference);
              this.warn(`${attempt.reference} has no known price: the budget cannot count what it costs`);
            }
            this.save();
          }
        },
      },
      spec.chain,
    );
  }

  // ---- decompose and coordinate ----

  private supervisorChain(): Chain {
    return this.deps.router.chainFor({ role: this.flags.role });
  }

  private async decompose(): Promise<Subtask[]> {
    return this.inPhase('decompose', async (phase) => {
      const chain = this.supervisorChain();
      const specialists = this.flags.specialists ? Object.entries(this.input.config.specialists ?? {}).map(([name, specialist]) => ({ name, description: specialist.description })) : [];
      const routed = await this.call({ purpose: 'decompose', role: this.flags.role, chain, messages: decomposeMessages(this.record.task, this.flags.maxSubtasks, specialists, chain.systemPrompt) }, phase);
      let plan;
      try {
        plan = parsePlan(routed.result.text, { specialists: specialists.map((specialist) => specialist.name), maxSubtasks: this.flags.maxSubtasks });
        dependencyWaves(plan.subtasks);
      } catch (error) {
        this.decide('decompose', this.flags.role, 'split the task into subtasks', 'parse the plan', 'failed', `${messageOf(error)}; the answer began: ${routed.result.text.slice(0, 300)}`);
        throw error;
      }
      for (const warning of plan.warnings) this.warn(warning);
      this.record.subtasks = plan.subtasks.map(subtaskRecord);
      for (const subtask of plan.subtasks) this.subtasks.set(subtask.index, subtask);
      this.emit({ kind: 'plan-ready', subtasks: plan.subtasks.map(({ index, text, dependsOn, specialist }) => ({ index, text, dependsOn, specialist })) });
      this.decide('decompose', this.flags.role, 'split the task into subtasks', `ask ${routed.entry.reference}`, `${plan.subtasks.length} subtasks`, plan.subtasks.map((subtask) => `${subtask.index}. ${subtask.text.split('\n')[0]}`).join('\n'), routed.result.usage.outputTokens);
      this.save();
      return plan.subtasks;
    });
  }

  private async coordinate(subtasks: readonly Subtask[]): Promise<void> {
    if (!this.flags.coordinate || subtasks.length < 2) return;
    await this.inPhase('coordinate', async (phase) => {
      const chain = this.supervisorChain();
      const routed = await this.call({ purpose: 'coordinate', role: this.flags.role, chain, messages: coordinateMessages(this.record.task, subtasks, chain.systemPrompt) }, phase);
      this.brief = routed.result.text.trim() || undefined;
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

  /**
   * The witness's chain for an answer written by `author`: the witness's models that differ from the
   * author's, else another model the config offers (the supervisor's, the refinery's, any alias), else
   * the same model, with a warning.
   */
  private witnessChain(author: ChainEntry): Chain {
    const key = `${author.provider}/${author.modelId}`;
    const cached = this.witnessChains.get(key);
    if (cached) return cached;
    const { config } = this.input;
    const witness = chainForRole(config, 'witness');
    let chain = witness;
    const others = witness.entries.filter((entry) => !sameModel(entry, author));
    if (others.length > 0) {
      chain = { ...witness, entries: others };
    } else {
      const candidates = [...this.safeEntries(() => this.supervisorChain()), ...this.safeEntries(() => chainForRole(config, 'refinery')), ...Object.keys(config.models ?? {}).flatMap((alias) => this.safeEntries(() => chainForModel(config, alias)))];
      const other = candidates.find((entry) => !sameModel(entry, author));
      if (other) {
        chain = { ...witness, entries: [other] };
        this.warn(`the witness's models are all ${author.reference}, which wrote the answer; ${other.reference} reviews it instead (set roles.witness to a different model)`);
      } else {
        this.warn(`the witness reviews with ${author.reference}, the model that wrote the answer: the config offers no other model`);
      }
    }
    this.witnessChains.set(key, chain);
    return chain;
  }

  private safeEntries(chain: () => Chain): ChainEntry[] {
    try {
      return chain().entries;
    } catch {
      return [];
    }
  }

  private startSubtask(record: SubtaskRecord, purpose: CallPurpose, chain: Chain): void {
    this.emit({ kind: 'subtask-start', subtask: record.index, purpose, chain: chain.label });
  }

  private endSubtask(record: SubtaskRecord, status: SubtaskRecord['status'], error?: string): void {
    const ended = this.now();
    record.status = status;
    record.endedAt = new Date(ended).toISOString();
    record.error = error;
    const durationMs = record.startedAt === undefined ? 0 : ended - Date.parse(record.startedAt);
    this.emit({ kind: 'subtask-end', subtask: record.index, status, model: record.model, spend: record.spend, durationMs, files: record.files, error });
    this.save();
  }

  private async runSubtask(subtask: Subtask, dependencies: readonly WorkerOutcome[]): Promise<WorkerOutcome> {
    const record = this.record.subtasks[subtask.index - 1];
    const outcome: WorkerOutcome = { index: subtask.index, status: 'pending', answer: undefined, files: [] };
    if (this.stopped) {
      outcome.status = this.signal.aborted ? 'cancelled' : 'skipped';
      this.endSubtask(record, outcome.status, this.signal.aborted ? 'the run stopped before it started' : 'the budget was reached before it started');
      return outcome;
    }
    record.status = 'running';
    record.startedAt = new Date(this.now()).toISOString();
    const chain = this.workerChain(subtask);
    try {
      const dependencyOutputs: DependencyOutput[] = dependencies.map((dependency) => ({ index: dependency.index, text: this.subtasks.get(dependency.index)?.text ?? '', answer: dependency.answer ?? '' }));
      const conversation = workerMessages({ task: this.record.task, subtask, total: this.record.subtasks.length, brief: this.brief, dependencies: dependencyOutputs }, chain.systemPrompt);
      this.startSubtask(record, 'work', chain);
      const worked = await this.call({ purpose: 'work', role: 'polecat', chain, messages: conversation, subtask: record, stream: true });
      let author = worked.entry;
      let answer = worked.result.text;
      record.model = author.reference;
      outcome.answer = answer;
      this.decide('workers', `polecat-${subtask.index}`, subtask.text.split('\n')[0], `ask ${author.reference}`, 'answered', undefined, worked.result.usage.outputTokens);

      // validate: one corrective turn for an answer whose files cannot be used as they are.
      let parsed = parseFileBlocks(answer);
      let check = checkAnswer(parsed, subtask.index);
      if (check.problems.length > 0) {
        const corrected = await this.validate(record, chain, author, conversation, answer, check.problems);
        const correctedParsed = parseFileBlocks(corrected.result.text);
        // A correction that lost files is worse than the original, whatever it fixed.
        if (correctedParsed.files.length >= parsed.files.length) {
          conversation.push({ role: 'assistant', content: answer }, correctionMessage(check.problems));
          answer = corrected.result.text;
          author = corrected.entry;
          parsed = correctedParsed;
          check = checkAnswer(parsed, subtask.index);
          outcome.answer = answer;
          record.model = author.reference;
        }
        this.decide('validate', `polecat-${subtask.index}`, 'usable file blocks', 'ask for a correction', check.problems.length === 0 ? 'fixed' : `still: ${check.problems.join('; ')}`);
      }
      // An answer with no files at all is prose (a worker-N.out), not a problem to report.
      this.record.findings.push(...check.findings);

      if (this.flags.reviewer) ({ answer, parsed, author } = await this.review(record, subtask, conversation, answer, parsed, author, chain));
      outcome.answer = answer;
      outcome.files = parsed.files;
      record.files = parsed.files.map((file) => file.path);
      outcome.status = 'succeeded';
      this.endSubtask(record, 'succeeded');
    } catch (error) {
      if (this.signal.aborted) {
        outcome.status = 'cancelled';
        this.endSubtask(record, 'cancelled', messageOf(this.signal.reason));
      } else if (error instanceof BudgetReachedError && outcome.answer !== undefined) {
        // The work is done; only its review or correction was not paid for.
        outcome.files = parseFileBlocks(outcome.answer).files;
        record.files = outcome.files.map((file) => file.path);
        outcome.status = 'succeeded';
        this.endSubtask(record, 'succeeded', `not finished: ${error.message}`);
      } else {
        outcome.status = error instanceof BudgetReachedError ? 'skipped' : 'failed';
        this.decide('workers', `polecat-${subtask.index}`, subtask.text.split('\n')[0], 'work', outcome.status, messageOf(error));
        this.endSubtask(record, outcome.status, messageOf(error));
      }
    }
    return outcome;
  }

  private async validate(record: SubtaskRecord, chain: Chain, author: ChainEntry, conversation: ChatMessage[], answer: string, problems: string[]): Promise<RoutedResult> {
    const phase = this.phase('validate');
    try {
      this.startSubtask(record, 'validate', chain);
      return await this.call({ purpose: 'validate', role: 'polecat', chain: preferEntry(chain, author), messages: [...conversation, { role: 'assistant', content: answer }, correctionMessage(problems)], subtask: record, stream: true });
    } finally {
      this.touch(phase);
    }
  }

  /** A phase that runs inside the workers' pool ends when its last use does. */
  private touch(phase: PhaseRecord): void {
    const now = this.now();
    phase.endedAt = new Date(now).toISOString();
    phase.durationMs = now - Date.parse(phase.startedAt);
  }

  private async review(record: SubtaskRecord, subtask: Subtask, conversation: ChatMessage[], answer: string, parsed: ReturnType<typeof parseFileBlocks>, author: ChainEntry, chain: Chain) {
    const phase = this.phase('review');
    try {
      for (;;) {
        const witness = this.witnessChain(author);
        this.startSubtask(record, 'review', witness);
        const routed = await this.call({ purpose: 'review', role: 'witness', chain: witness, messages: reviewMessages(this.record.task, subtask, answer, witness.systemPrompt), subtask: record });
        const review = parseReview(routed.result.text);
        const passed = review.score === undefined || review.score >= this.flags.guardrailThreshold;
        record.review = { score: review.score, reason: review.reason, passed, model: routed.entry.reference };
        const findings: RunFinding[] = review.findings.map((finding) => ({ source: 'witness', subtask: subtask.index, file: finding.file, line: finding.line, column: finding.column, severity: finding.severity, message: finding.message }));
        // The latest review replaces the witness's earlier findings on this subtask.
        this.record.findings = [...this.record.findings.filter((finding) => finding.source !== 'witness' || finding.subtask !== subtask.index), ...findings];
        this.emit({ kind: 'review-end', subtask: subtask.index, review: record.review, findings });
        this.decide('review', 'witness', `review subtask ${subtask.index}`, `ask ${routed.entry.reference}`, review.score === undefined ? 'no score' : `score ${review.score}`, review.reason, routed.result.usage.outputTokens);
        this.save();
        if (passed) break;
        if (record.revisions >= this.flags.guardrailRetries) {
          this.warn(`subtask ${subtask.index} scored ${review.score}/10 (below ${this.flags.guardrailThreshold}) after ${record.revisions} revision(s): ${review.reason || 'no reason given'}`);
          break;
        }
        this.startSubtask(record, 'revise', chain);
        const turn = [...conversation, { role: 'assistant' as const, content: answer }, feedbackMessage(review)];
        const revised = await this.call({ purpose: 'revise', role: 'polecat', chain: preferEntry(chain, author), messages: turn, subtask: record, stream: true });
        record.revisions++;
        if (normalise(revised.result.text) === normalise(answer)) {
          this.decide('review', `polecat-${subtask.index}`, 'address the review', 'revise', 'identical answer; the loop stops');
          this.warn(`subtask ${subtask.index}: the worker gave the same answer after the review; it is kept as it is`);
          break;
        }
        const revisedParsed = parseFileBlocks(revised.result.text);
        if (revisedParsed.files.length === 0 && parsed.files.length > 0) {
          this.warn(`subtask ${subtask.index}: the revision had no files; the reviewed answer is kept`);
          break;
        }
        conversation.push({ role: 'assistant', content: answer }, feedbackMessage(review));
        answer = revised.result.text;
        parsed = revisedParsed;
        author = revised.entry;
        record.model = author.reference;
        this.decide('review', `polecat-${subtask.index}`, 'address the review', `ask ${author.reference}`, 'revised', undefined, revised.result.usage.outputTokens);
      }
    } finally {
      this.touch(phase);
    }
    return { answer, parsed, author };
  }

  private async runWorkers(subtasks: readonly Subtask[]): Promise<WorkerOutcome[]> {
    const limiter = new Limiter(this.flags.workers);
    const outcomes = new Map<number, Promise<WorkerOutcome>>();
    this.phase('workers');
    for (const index of dependencyWaves(subtasks).flat()) {
      const subtask = this.subtasks.get(index) as Subtask;
      outcomes.set(
        index,
        (async () => {
          const dependencies = await Promise.all(subtask.dependsOn.map((dependency) => outcomes.get(dependency) as Promise<WorkerOutcome>));
          const missing = dependencies.find((dependency) => dependency.status !== 'succeeded');
          if (missing) {
            const record = this.record.subtasks[index - 1];
            const status = missing.status === 'cancelled' ? 'cancelled' : 'skipped';
            this.endSubtask(record, status, `subtask ${missing.index}, which it depends on, did not finish (${missing.status})`);
            return { index, status, answer: undefined, files: [] };
          }
          return limiter.run(() => this.runSubtask(subtask, dependencies));
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
    let text: string;
    try {
      text = await this.inPhase('synthesize', async (phase) => {
        const chain = this.supervisorChain();
        const results = outcomes.map((outcome) => ({ index: outcome.index, text: this.subtasks.get(outcome.index)?.text ?? '', status: outcome.status, outline: outcome.answer === undefined ? this.record.subtasks[outcome.index - 1].error ?? 'no answer' : outlineAnswer(outcome.answer, outcome.files) }));
        const routed = await this.call({ purpose: 'synthesize', role: this.flags.role, chain, messages: synthesizeMessages(this.record.task, results, chain.systemPrompt) }, phase);
        this.decide('synthesize', this.flags.role, 'summarise the run for the user', `ask ${routed.entry.reference}`, 'written', undefined, routed.result.usage.outputTokens);
        return routed.result.text.trim();
      });
    } catch (error) {
      if (this.signal.aborted) throw error;
      this.warn(`no summary: ${messageOf(error)}`);
      return;
    }
    if (this.flags.refinery && !this.stopped) {
      try {
        text = await this.inPhase('polish', async (phase) => {
          const chain = chainForRole(this.input.config, 'refinery');
          const routed = await this.call({ purpose: 'polish', role: 'refinery', chain, messages: polishMessages(this.record.task, text, chain.systemPrompt) }, phase);
          this.decide('polish', 'refinery', 'polish the summary', `ask ${routed.entry.reference}`, 'polished', undefined, routed.result.usage.outputTokens);
          return routed.result.text.trim() || text;
        });
      } catch (error) {
        if (this.signal.aborted) throw error;
        this.warn(`the summary is unpolished: ${messageOf(error)}`);
      }
    }
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
    const produced = outcomes.flatMap((outcome) => (outcome.status === 'succeeded' ? outcome.files.map((file) => ({ path: file.path, content: file.content, subtask: outcome.index })) : []));
    await this.keepOutputs(outcomes, false);
    if (produced.length === 0) return;
    await this.inPhase('write', async () => {
      const report = await this.deps.writeFiles(this.input.settings.outputDirectory, produced);
      this.record.files = report;
      for (const file of report.written) this.emit({ kind: 'file-write', ...file });
      for (const file of report.refused) {
        this.emit({ kind: 'file-refuse', ...file });
        if (!this.record.findings.some((finding) => finding.file === file.path && finding.subtask === file.subtask && finding.severity === 'error')) {
          this.record.findings.push({ source: 'file-blocks', subtask: file.subtask, file: file.path, line: undefined, column: undefined, severity: 'error', message: `not written: ${file.reason}` });
        }
      }
      for (const conflict of report.conflicts) this.warn(`${conflict.path} was written by subtasks ${conflict.subtasks.join(' and ')}; subtask ${conflict.kept}'s version is kept`, false);
      this.decide('write', 'engine', `write files into ${this.input.settings.outputDirectory}`, 'write', `${report.written.length} written, ${report.refused.length} refused, ${report.conflicts.length} conflicts`, report.refused.map((file) => `${file.path}: ${file.reason}`).join('\n') || undefined);
    });
  }

  // ---- the whole run ----

  private finalStatus(outcomes: readonly WorkerOutcome[]): RunStatus {
    if (this.deps.signal.aborted) return 'cancelled';
    if (this.fatal !== undefined || this.timeout.signal.aborted) return 'failed';
    if (this.budget.exceeded) return 'budget_exceeded';
    return outcomes.every((outcome) => outcome.status === 'succeeded') ? 'succeeded' : 'failed';
  }

  async run(): Promise<RunRecord> {
    const { settings } = this.input;
    this.emit({ kind: 'run-start', runId: this.record.id, task: this.record.task, folder: this.record.folder, outputDir: settings.outputDirectory, workers: this.flags.workers });
    this.save();
    const timer = setTimeout(() => this.timeout.abort(new RunTimeoutError(this.flags.timeoutMinutes)), this.flags.timeoutMinutes * 60_000);
    timer.unref();
    let outcomes: WorkerOutcome[] = [];
    let writing: Promise<unknown> | undefined;
    try {
      const subtasks = await this.decompose();
      await this.coordinate(subtasks);
      outcomes = await this.runWorkers(subtasks);
      // The files do not wait for the summary, which is text only: they are written while it is written.
      // A cancelled run writes nothing into the project.
      if (!this.deps.signal.aborted) writing = this.write(outcomes).catch((error: unknown) => (this.fatal ??= `files could not be written: ${messageOf(error)}`));
      await this.synthesize(outcomes);
    } catch (error) {
      if (!this.signal.aborted && !(error instanceof BudgetReachedError)) this.fatal ??= messageOf(error);
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
    record.exitCode = EXIT_CODES[status as Exclude<RunStatus, 'running'>];
    record.endedAt = new Date(ended).toISOString();
    record.error = this.describeEnd(status, outcomes);
    this.decide('run', 'engine', 'finish the run', 'end', status, record.error);
    this.save();
    await this.input.folder.settled();
    this.emit({ kind: 'run-end', status, exitCode: record.exitCode, error: record.error, durationMs: ended - this.started, spend: runSpend(record) });
    return record;
  }

  private describeEnd(status: RunStatus, outcomes: readonly WorkerOutcome[]): string | undefined {
    if (status === 'succeeded') return undefined;
    if (status === 'cancelled') return 'cancelled';
    if (this.timeout.signal.aborted) return messageOf(this.timeout.signal.reason);
    if (this.fatal !== undefined) return this.fatal;
    if (status === 'budget_exceeded') return `the budget of $${(this.flags.budgetUsd ?? 0).toFixed(2)} was reached ($${this.budget.spent.toFixed(4)} spent); no new model calls were made`;
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
  const run = new Run(input, deps);
  return { record: run.record, finished: run.run() };
}

export function runTask(input: RunInput, deps: EngineDependencies): Promise<RunRecord> {
  return startRun(input, deps).finished;
}
