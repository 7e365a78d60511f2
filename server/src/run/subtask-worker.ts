// One subtask in a worker's slot: its files as they are now → work (streamed; an answer cut off at the
// output limit is continued) → validate (one correction of blocks that cannot be used or edits that do
// not apply) → review by the witness ⟲ revise with its findings, up to --guardrail-retries → commit to
// the run's working copy (a conflict with a worker that finished first goes back once). What it needs
// of the run comes through `WorkerContext`. A subtask that changes nothing, or whose edits do not
// apply, fails: it is never reported done.
import type { WorkerMaterial } from '../context/shared-context';
import type { WorkingCopy, AnswerCheck, ApplyProblem } from '../edits/working-copy';
import { parseAnswer, type ParsedAnswer } from '../edits/parse-answer';
import type { ChatMessage } from '../providers/language-model';
import type { CallPurpose, PhaseName, PhaseRecord, RunEvent, RunFinding, RunRecord, SubtaskRecord } from '../protocol';
import { preferEntry, type Chain, type ChainEntry } from '../router/chain';
import type { RoutedResult } from '../router/router';
import { BudgetReachedError } from './budget';
import { SubtaskLimitError } from './budget-keeper';
import type { Subtask } from './decompose';
import { continuationMessages, joinContinuation, MAX_CONTINUATIONS } from './continuation';
import type { FileBlock } from './file-blocks';
import { applyProblemsMessage, correctionMessage, feedbackMessage, reviewMessages, workerMessages, type DependencyOutput } from './messages';
import { parseReview } from './review';
import type { ResolvedFlags } from './run-options';
import { checkRelativePath } from './containment';
import { boundFindings, MAX_PER_FILE, MAX_PER_RUN } from './bound-findings';
import { checkAnswer } from './validate';

export interface CallSpec {
  purpose: CallPurpose;
  role: string;
  chain: Chain;
  messages: ChatMessage[];
  subtask?: SubtaskRecord;
  stream?: boolean;
}

export interface WorkerContext {
  readonly record: RunRecord;
  readonly flags: ResolvedFlags;
  readonly signal: AbortSignal;
  /** Cancelled, timed out, or out of budget: no new work starts. */
  readonly stopped: boolean;
  /** The mayor's coordination brief, when there is one. */
  readonly brief: string | undefined;
  now(): number;
  call(spec: CallSpec, phase?: PhaseRecord): Promise<RoutedResult>;
  emit(event: RunEvent): void;
  save(): void;
  warn(message: string): void;
  decide(phase: string, agent: string, intent: string, action: string, outcome: string, detail?: string, tokenCost?: number): void;
  /** The phase's record, started on first use. */
  phase(name: PhaseName): PhaseRecord;
  witnessChain(author: ChainEntry): Chain;
  /** Keeps a finished subtask's answer in the run folder, for a resumed run. */
  keepAnswer(subtask: number, text: string): void;
  /** Keeps what a worker was first sent, for a follow-up round that continues its conversation. */
  keepPrompt?(subtask: number, messages: readonly ChatMessage[]): void;
  /** A follow-up round's subtask that continues an earlier worker: the conversation it goes on from. */
  continuedConversation?(subtask: Subtask, material: readonly string[]): ChatMessage[] | undefined;
  /** The project as the run sees it: finished subtasks' changes on top of the files on disk. */
  readonly workingCopy: WorkingCopy;
  /** What the worker is shown of the project: what every worker shares (map, --context), then its own files. */
  material(subtask: Subtask): Promise<WorkerMaterial>;
}

/** A subtask cannot be done as its worker answered; the message says why. */
export class SubtaskFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubtaskFailure';
  }
}

/** A whole file may replace an existing one only when the subtask asks for that. */
export function asksForRewrite(text: string): boolean {
  return /\b(rewrite|re-write|replace the whole|from scratch|overwrite)\b/i.test(text);
}

/** Subtask work that ended: its final answer and files, if it got that far. */
export interface WorkerOutcome {
  index: number;
  status: SubtaskRecord['status'];
  answer: string | undefined;
  /** The files it changed, as it left them. */
  files: FileBlock[];
  /** The model whose answer was kept, for fixes after a failed build. */
  author: ChainEntry | undefined;
}

const normalise = (text: string) => text.replace(/\r\n?/g, '\n').trim();
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Marks a subtask ended, with an event and a save. */
export function endSubtask(context: WorkerContext, record: SubtaskRecord, status: SubtaskRecord['status'], error?: string): void {
  const ended = context.now();
  record.status = status;
  record.endedAt = new Date(ended).toISOString();
  record.error = error;
  const durationMs = record.startedAt === undefined ? 0 : ended - Date.parse(record.startedAt);
  context.emit({ kind: 'subtask-end', subtask: record.index, status, model: record.model, spend: record.spend, durationMs, files: record.files, error });
  context.save();
}

/** A phase that runs inside the workers' slots ends when its last use does. */
function touch(context: WorkerContext, phase: PhaseRecord): void {
  const now = context.now();
  phase.endedAt = new Date(now).toISOString();
  phase.durationMs = now - Date.parse(phase.startedAt);
}

interface Answer {
  text: string;
  parsed: ParsedAnswer;
  author: ChainEntry;
}

const changesSomething = (parsed: ParsedAnswer) => parsed.files.length + parsed.edits.length > 0;

export class SubtaskWorker {
  private readonly record: SubtaskRecord;
  /** The worker's conversation so far: its brief, then each answer and what it was told about it. */
  private conversation: ChatMessage[] = [];
  /** The latest usable answer, for a budget reached before its review. */
  private latest: Answer | undefined;

  constructor(
    private readonly context: WorkerContext,
    private readonly subtask: Subtask,
    private readonly chain: Chain,
  ) {
    this.record = context.record.subtasks[subtask.index - 1];
  }

  private start(purpose: CallPurpose, chain: Chain): void {
    this.context.emit({ kind: 'subtask-start', subtask: this.subtask.index, purpose, chain: chain.label });
  }

  private get agent(): string {
    return `polecat-${this.subtask.index}`;
  }

  async run(dependencies: readonly DependencyOutput[]): Promise<WorkerOutcome> {
    const { context, record, subtask } = this;
    const outcome: WorkerOutcome = { index: subtask.index, status: 'pending', answer: undefined, files: [], author: undefined };
    if (context.stopped) {
      outcome.status = context.signal.aborted ? 'cancelled' : 'skipped';
      endSubtask(context, record, outcome.status, context.signal.aborted ? 'the run stopped before it started' : 'the budget was reached before it started');
      return outcome;
    }
    record.status = 'running';
    record.startedAt = new Date(context.now()).toISOString();
    try {
      const material = await context.material(subtask);
      record.context = material.sent;
      this.conversation = context.continuedConversation?.(subtask, material.own) ?? workerMessages({ task: context.record.task, subtask, total: context.record.subtasks.length, brief: context.brief, dependencies, shared: material.shared, material: material.own }, this.chain.systemPrompt);
      context.keepPrompt?.(subtask.index, this.conversation);
      this.start('work', this.chain);
      let answer = await this.ask('work', this.conversation, this.chain);
      record.model = answer.author.reference;
      outcome.answer = answer.text;
      outcome.author = answer.author;
      context.decide('workers', this.agent, subtask.text.split('\n')[0], `ask ${answer.author.reference}`, 'answered');
      answer = await this.validate(answer);
      this.latest = answer;
      outcome.answer = answer.text;
      if (context.flags.reviewer) answer = await this.review(answer);
      outcome.answer = answer.text;
      outcome.author = answer.author;
      const committed = await this.commit(answer);
      if (committed.files.size === 0) {
        const refused = answerPaths(committed.answer.parsed).map((file) => `${file} (${refusalOf(context.workingCopy, file) ?? 'refused'})`);
        throw new SubtaskFailure(`nothing it wrote may be written: ${refused.join(', ')}`);
      }
      outcome.answer = committed.answer.text;
      outcome.author = committed.answer.author;
      outcome.files = [...committed.files].map(([path, { content }]) => ({ path, content, line: 0 }));
      record.files = answerPaths(committed.answer.parsed);
      outcome.status = 'succeeded';
      context.keepAnswer(subtask.index, committed.answer.text);
      endSubtask(context, record, 'succeeded');
    } catch (error) {
      if (context.signal.aborted) {
        outcome.status = 'cancelled';
        endSubtask(context, record, 'cancelled', messageOf(context.signal.reason));
      } else if ((error instanceof BudgetReachedError || error instanceof SubtaskLimitError) && this.latest !== undefined && (await this.commitAsItIs(this.latest, outcome))) {
        // The work is done and applies; only its correction or review was not paid for.
        endSubtask(context, record, 'succeeded', `not finished: ${error.message}`);
      } else {
        outcome.status = error instanceof BudgetReachedError ? 'skipped' : 'failed';
        context.decide('workers', this.agent, subtask.text.split('\n')[0], 'work', outcome.status, messageOf(error));
        endSubtask(context, record, outcome.status, messageOf(error));
      }
    }
    return outcome;
  }

  /** Commits an answer with no further model call; false when it does not apply as it is. */
  private async commitAsItIs(answer: Answer, outcome: WorkerOutcome): Promise<boolean> {
    if (!changesSomething(answer.parsed)) return false;
    const result = await this.context.workingCopy.commit(answer.parsed, this.subtask.index, this.checkOptions());
    if (!result.ok) return false;
    outcome.files = [...result.files].map(([path, { content }]) => ({ path, content, line: 0 }));
    outcome.answer = answer.text;
    outcome.author = answer.author;
    outcome.status = 'succeeded';
    this.record.files = answerPaths(answer.parsed);
    this.context.keepAnswer(this.subtask.index, answer.text);
    return true;
  }

  /** Asks, and while the answer stops at the output limit, asks it to go on (up to twice). */
  private async ask(purpose: CallPurpose, messages: ChatMessage[], chain: Chain): Promise<Answer> {
    const { context, record } = this;
    let routed = await context.call({ purpose, role: 'polecat', chain, messages, subtask: record, stream: true });
    let text = routed.result.text;
    for (let continued = 0; routed.result.finishReason === 'length'; continued++) {
      if (continued === MAX_CONTINUATIONS) throw new SubtaskFailure(`the answer was cut off at ${routed.entry.reference}'s output limit, and still after ${MAX_CONTINUATIONS} requests to continue; nothing of it is written`);
      context.decide('workers', this.agent, 'a whole answer', `ask ${routed.entry.reference} to continue`, 'cut off at the output limit');
      this.start('continue', chain);
      routed = await context.call({ purpose: 'continue', role: 'polecat', chain: preferEntry(chain, routed.entry), messages: continuationMessages(messages, text), subtask: record, stream: true });
      text = joinContinuation(text, routed.result.text);
    }
    const answer = { text, parsed: parseAnswer(text), author: routed.entry };
    if (changesSomething(answer.parsed) && (purpose === 'work' || this.latest === undefined)) this.latest = answer;
    return answer;
  }

  private checkOptions() {
    return { rewriteAllowed: asksForRewrite(this.subtask.text) };
  }

  /**
   * One corrective turn for an answer that cannot be used as it is: no file changed, blocks left open,
   * refused paths, edits that match nowhere or in several places, a rewrite that drops definitions. A
   * correction that changes fewer files is not taken. What still does not apply fails the subtask.
   */
  private async validate(answer: Answer): Promise<Answer> {
    const { context, subtask } = this;
    let check = checkAnswer(answer.parsed, subtask.index);
    let applied = await context.workingCopy.check(answer.parsed, subtask.index, this.checkOptions());
    if (check.problems.length > 0 || !applied.ok) {
      const phase = context.phase('validate');
      const told = correctionMessage(check.problems, applied.ok ? [] : applied.problems);
      let corrected: Answer;
      try {
        this.start('validate', this.chain);
        corrected = await this.ask('validate', [...this.conversation, { role: 'assistant', content: answer.text }, told], preferEntry(this.chain, answer.author));
      } finally {
        touch(context, phase);
      }
      // A correction that changes fewer files (or none) is not taken; one that fixes edits that did not apply is.
      if (changesSomething(corrected.parsed) && (countBlocks(corrected.parsed) >= countBlocks(answer.parsed) || !applied.ok)) {
        this.conversation.push({ role: 'assistant', content: answer.text }, told);
        answer = corrected;
        this.record.model = answer.author.reference;
        check = checkAnswer(answer.parsed, subtask.index);
        applied = await context.workingCopy.check(answer.parsed, subtask.index, this.checkOptions());
      }
      context.decide('validate', this.agent, 'usable blocks that apply', 'ask for a correction', check.problems.length === 0 && applied.ok ? 'fixed' : `still: ${[...check.problems, ...(applied.ok ? [] : applied.problems.map((problem) => problem.message.split('\n')[0]))].join('; ')}`);
    }
    context.record.findings.push(...check.findings);
    if (!changesSomething(answer.parsed)) throw new SubtaskFailure('the answer changes no file: it has no file blocks and no edits, even after a correction');
    if (!applied.ok) throw new SubtaskFailure(`its edits do not apply, even after a correction: ${applied.problems.map((problem) => problem.message.split('\n')[0]).join('; ')}`);
    return answer;
  }

  /**
   * Makes the answer the latest content. When a worker that finished first changed the same lines, the
   * answer goes back once with the files as they are now.
   */
  private async commit(answer: Answer): Promise<{ answer: Answer; files: Map<string, { content: string }> }> {
    const { context, subtask } = this;
    let result: AnswerCheck = await context.workingCopy.commit(answer.parsed, subtask.index, this.checkOptions());
    if (!result.ok) {
      context.decide('workers', this.agent, 'apply its changes', 'commit', 'conflict', result.problems.map((problem) => problem.message.split('\n')[0]).join('; '));
      const told = applyProblemsMessage(result.problems, 'Another worker changed these files while you worked. Your changes no longer apply:');
      this.start('rematch', this.chain);
      const again = await this.ask('rematch', [...this.conversation, { role: 'assistant', content: answer.text }, told], preferEntry(this.chain, answer.author));
      this.conversation.push({ role: 'assistant', content: answer.text }, told);
      answer = again;
      this.record.model = answer.author.reference;
      if (!changesSomething(answer.parsed)) throw new SubtaskFailure('after a conflict with another worker, the answer changes no file');
      result = await context.workingCopy.commit(answer.parsed, subtask.index, this.checkOptions());
      if (!result.ok) throw new SubtaskFailure(`its edits conflict with another worker's, even after a second try: ${result.problems.map((problem) => problem.message.split('\n')[0]).join('; ')}`);
    }
    return { answer, files: result.files };
  }

  private async review(answer: Answer): Promise<Answer> {
    const { context, record, subtask } = this;
    const phase = context.phase('review');
    try {
      for (;;) {
        const witness = context.witnessChain(answer.author);
        this.start('review', witness);
        const result = await context.workingCopy.check(answer.parsed, subtask.index, this.checkOptions());
        const after = result.ok ? [...result.files].map(([path, { content }]) => ({ path, content })) : [];
        const routed = await context.call({ purpose: 'review', role: 'witness', chain: witness, messages: reviewMessages(context.record.task, subtask, answer.text, after, witness.systemPrompt), subtask: record });
        const review = parseReview(routed.result.text);
        const passed = review.score === undefined || review.score >= context.flags.guardrailThreshold;
        record.review = { score: review.score, reason: review.reason, passed, model: routed.entry.reference };
        // The latest review replaces the witness's earlier findings on this subtask; lines the files do not
        // have, and findings past the limits, are counted, not kept.
        const others = context.record.findings.filter((finding) => finding.source !== 'witness' || finding.subtask !== subtask.index);
        const lineCounts = new Map(after.map((file) => [file.path, file.content.split('\n').length - (file.content.endsWith('\n') ? 1 : 0)]));
        const bounded = boundFindings(review.findings, (file) => lineCounts.get(file), others.length);
        if (bounded.dropped > 0) context.warn(`subtask ${subtask.index}: the witness gave ${bounded.dropped} finding${bounded.dropped === 1 ? '' : 's'} more than are kept (past a file's end, or past ${MAX_PER_FILE} a file and ${MAX_PER_RUN} a run)`);
        const findings: RunFinding[] = bounded.kept.map((finding) => ({ source: 'witness', subtask: subtask.index, file: finding.file, line: finding.line, column: finding.column, severity: finding.severity, message: finding.message }));
        context.record.findings = [...others, ...findings];
        context.emit({ kind: 'review-end', subtask: subtask.index, review: record.review, findings });
        context.decide('review', 'witness', `review subtask ${subtask.index}`, `ask ${routed.entry.reference}`, review.score === undefined ? 'no score' : `score ${review.score}`, review.reason, routed.result.usage.outputTokens);
        context.save();
        if (passed) return answer;
        if (record.revisions >= context.flags.guardrailRetries) {
          context.warn(`subtask ${subtask.index} scored ${review.score}/10 (below ${context.flags.guardrailThreshold}) after ${record.revisions} revision(s): ${review.reason || 'no reason given'}`);
          return answer;
        }
        this.start('revise', this.chain);
        const turn = [...this.conversation, { role: 'assistant' as const, content: answer.text }, feedbackMessage(review)];
        const revised = await this.ask('revise', turn, preferEntry(this.chain, answer.author));
        record.revisions++;
        if (normalise(revised.text) === normalise(answer.text)) {
          context.decide('review', this.agent, 'address the review', 'revise', 'identical answer; the loop stops');
          context.warn(`subtask ${subtask.index}: the worker gave the same answer after the review; it is kept as it is`);
          return answer;
        }
        if (!changesSomething(revised.parsed)) {
          context.warn(`subtask ${subtask.index}: the revision changed no file; the reviewed answer is kept`);
          return answer;
        }
        const applies = await context.workingCopy.check(revised.parsed, subtask.index, this.checkOptions());
        if (!applies.ok) {
          context.warn(`subtask ${subtask.index}: the revision's edits do not apply (${applies.problems.map((problem) => problem.message.split('\n')[0]).join('; ')}); the reviewed answer is kept`);
          return answer;
        }
        this.conversation.push({ role: 'assistant', content: answer.text }, feedbackMessage(review));
        answer = revised;
        record.model = answer.author.reference;
        context.decide('review', this.agent, 'address the review', `ask ${answer.author.reference}`, 'revised');
      }
    } finally {
      touch(context, phase);
    }
  }
}

function refusalOf(copy: WorkingCopy, written: string): string | undefined {
  const checked = checkRelativePath(written);
  return checked.ok ? copy.refusal(checked.relative) : checked.reason;
}

/** The paths an answer writes or edits, as written, each once. */
function answerPaths(parsed: ParsedAnswer): string[] {
  return [...new Set([...parsed.files.map((file) => file.path), ...parsed.edits.map((edit) => edit.path)])];
}

function countBlocks(parsed: ParsedAnswer): number {
  return parsed.files.length + parsed.edits.length;
}

export type { ApplyProblem };
