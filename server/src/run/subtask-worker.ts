// One subtask in a worker's slot: work (streamed) → validate (one correction of unusable file blocks)
// → review by the witness ⟲ revise with its findings, up to --guardrail-retries, until the score passes
// or an answer comes back unchanged. What it needs of the run comes through `WorkerContext`.
import type { ChatMessage } from '../providers/language-model';
import type { CallPurpose, PhaseName, PhaseRecord, RunEvent, RunFinding, RunRecord, SubtaskRecord } from '../protocol';
import { preferEntry, type Chain, type ChainEntry } from '../router/chain';
import type { RoutedResult } from '../router/router';
import { BudgetReachedError } from './budget';
import type { Subtask } from './decompose';
import { parseFileBlocks, type FileBlock, type ParsedBlocks } from './file-blocks';
import { correctionMessage, feedbackMessage, reviewMessages, workerMessages, type DependencyOutput } from './messages';
import { parseReview } from './review';
import type { ResolvedFlags } from './run-options';
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
}

/** Subtask work that ended: its final answer and files, if it got that far. */
export interface WorkerOutcome {
  index: number;
  status: SubtaskRecord['status'];
  answer: string | undefined;
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
  parsed: ParsedBlocks;
  author: ChainEntry;
}

export class SubtaskWorker {
  private readonly record: SubtaskRecord;
  /** The worker's conversation so far: its brief, then each answer and what it was told about it. */
  private conversation: ChatMessage[] = [];

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
      this.conversation = workerMessages({ task: context.record.task, subtask, total: context.record.subtasks.length, brief: context.brief, dependencies }, this.chain.systemPrompt);
      this.start('work', this.chain);
      const worked = await context.call({ purpose: 'work', role: 'polecat', chain: this.chain, messages: this.conversation, subtask: record, stream: true });
      let answer: Answer = { text: worked.result.text, parsed: parseFileBlocks(worked.result.text), author: worked.entry };
      record.model = answer.author.reference;
      outcome.answer = answer.text;
      outcome.author = answer.author;
      context.decide('workers', this.agent, subtask.text.split('\n')[0], `ask ${answer.author.reference}`, 'answered', undefined, worked.result.usage.outputTokens);
      answer = await this.validate(answer);
      outcome.answer = answer.text;
      if (context.flags.reviewer) answer = await this.review(answer);
      outcome.answer = answer.text;
      outcome.author = answer.author;
      outcome.files = answer.parsed.files;
      record.files = answer.parsed.files.map((file) => file.path);
      outcome.status = 'succeeded';
      context.keepAnswer(subtask.index, answer.text);
      endSubtask(context, record, 'succeeded');
    } catch (error) {
      if (context.signal.aborted) {
        outcome.status = 'cancelled';
        endSubtask(context, record, 'cancelled', messageOf(context.signal.reason));
      } else if (error instanceof BudgetReachedError && outcome.answer !== undefined) {
        // The work is done; only its correction or review was not paid for.
        outcome.files = parseFileBlocks(outcome.answer).files;
        record.files = outcome.files.map((file) => file.path);
        outcome.status = 'succeeded';
        context.keepAnswer(subtask.index, outcome.answer);
        endSubtask(context, record, 'succeeded', `not finished: ${error.message}`);
      } else {
        outcome.status = error instanceof BudgetReachedError ? 'skipped' : 'failed';
        context.decide('workers', this.agent, subtask.text.split('\n')[0], 'work', outcome.status, messageOf(error));
        endSubtask(context, record, outcome.status, messageOf(error));
      }
    }
    return outcome;
  }

  /** One corrective turn for an answer whose files cannot be used as they are; a correction that loses files is not taken. */
  private async validate(answer: Answer): Promise<Answer> {
    const { context, subtask } = this;
    let check = checkAnswer(answer.parsed, subtask.index);
    if (check.problems.length > 0) {
      const phase = context.phase('validate');
      let corrected: RoutedResult;
      try {
        this.start('validate', this.chain);
        const turn = [...this.conversation, { role: 'assistant' as const, content: answer.text }, correctionMessage(check.problems)];
        corrected = await context.call({ purpose: 'validate', role: 'polecat', chain: preferEntry(this.chain, answer.author), messages: turn, subtask: this.record, stream: true });
      } finally {
        touch(context, phase);
      }
      const parsed = parseFileBlocks(corrected.result.text);
      if (parsed.files.length >= answer.parsed.files.length) {
        this.conversation.push({ role: 'assistant', content: answer.text }, correctionMessage(check.problems));
        answer = { text: corrected.result.text, parsed, author: corrected.entry };
        this.record.model = answer.author.reference;
        check = checkAnswer(parsed, subtask.index);
      }
      context.decide('validate', this.agent, 'usable file blocks', 'ask for a correction', check.problems.length === 0 ? 'fixed' : `still: ${check.problems.join('; ')}`);
    }
    context.record.findings.push(...check.findings);
    return answer;
  }

  private async review(answer: Answer): Promise<Answer> {
    const { context, record, subtask } = this;
    const phase = context.phase('review');
    try {
      for (;;) {
        const witness = context.witnessChain(answer.author);
        this.start('review', witness);
        const routed = await context.call({ purpose: 'review', role: 'witness', chain: witness, messages: reviewMessages(context.record.task, subtask, answer.text, witness.systemPrompt), subtask: record });
        const review = parseReview(routed.result.text);
        const passed = review.score === undefined || review.score >= context.flags.guardrailThreshold;
        record.review = { score: review.score, reason: review.reason, passed, model: routed.entry.reference };
        const findings: RunFinding[] = review.findings.map((finding) => ({ source: 'witness', subtask: subtask.index, file: finding.file, line: finding.line, column: finding.column, severity: finding.severity, message: finding.message }));
        // The latest review replaces the witness's earlier findings on this subtask.
        context.record.findings = [...context.record.findings.filter((finding) => finding.source !== 'witness' || finding.subtask !== subtask.index), ...findings];
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
        const revised = await context.call({ purpose: 'revise', role: 'polecat', chain: preferEntry(this.chain, answer.author), messages: turn, subtask: record, stream: true });
        record.revisions++;
        if (normalise(revised.result.text) === normalise(answer.text)) {
          context.decide('review', this.agent, 'address the review', 'revise', 'identical answer; the loop stops');
          context.warn(`subtask ${subtask.index}: the worker gave the same answer after the review; it is kept as it is`);
          return answer;
        }
        const parsed = parseFileBlocks(revised.result.text);
        if (parsed.files.length === 0 && answer.parsed.files.length > 0) {
          context.warn(`subtask ${subtask.index}: the revision had no files; the reviewed answer is kept`);
          return answer;
        }
        this.conversation.push({ role: 'assistant', content: answer.text }, feedbackMessage(review));
        answer = { text: revised.result.text, parsed, author: revised.entry };
        record.model = answer.author.reference;
        context.decide('review', this.agent, 'address the review', `ask ${answer.author.reference}`, 'revised', undefined, revised.result.usage.outputTokens);
      }
    } finally {
      touch(context, phase);
    }
  }
}
