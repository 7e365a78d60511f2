// A follow-up round as the engine runs it, in place of its decompose: the earlier round's pending
// proposals made the base of the working copy (the user has not taken or dropped them yet, and this
// round's proposals replace them), the mayor asked for only the subtasks the refinement needs, and each
// new subtask that continues an earlier worker given that worker's conversation.
import type { ChatMessage } from '../../providers/language-model';
import type { PhaseRecord, RunRecord } from '../../protocol';
import type { Chain } from '../../router/chain';
import type { RoutedResult } from '../../router/router';
import type { WorkingCopy } from '../../edits/working-copy';
import type { Subtask } from '../decompose';
import type { SpecialistNote } from '../messages';
import type { ResolvedFlags } from '../run-options';
import { subtaskRecord } from '../run-record';
import { dependencyWaves } from '../schedule';
import type { CallSpec } from '../subtask-worker';
import { continuations, continuedConversation, lastAuthors } from './conversation';
import { followUpPlanMessages, parseFollowUpPlan } from './plan-messages';
import { currentRound, declinedRound, roundOf } from './round-record';

/** What the round needs of the run. */
export interface PlanningContext {
  readonly record: RunRecord;
  readonly flags: ResolvedFlags;
  readonly workingCopy: WorkingCopy;
  call(spec: CallSpec, phase?: PhaseRecord): Promise<RoutedResult>;
  warn(message: string): void;
  decide(phase: string, agent: string, intent: string, action: string, outcome: string, detail?: string, tokenCost?: number): void;
}

export interface PlanningInputs {
  phase: PhaseRecord;
  chain: Chain;
  specialists: readonly SpecialistNote[];
  /** The project map, the files most relevant to `focus` first. */
  mayorMap(focus: string): string | undefined;
  /** A subtask's files: those the plan names, and existing ones its text names. */
  filesOf(files: readonly string[], text: string): string[];
  /**
   * The round's files wait for review too: pending proposals are its base. A round that writes to disk
   * (iterate) would land them unreviewed, so it starts from the disk and leaves them waiting.
   */
  reviewed: boolean;
  /**
   * The plan as the user approved it (`approvePlan`; plan-approval.ts), its subtasks numbered on from
   * `firstIndex`; throws PlanDeclinedError when cancelled. Undefined: no approval asked.
   */
  approve?: (subtasks: Subtask[], firstIndex: number) => Promise<Subtask[]>;
}

/** A proposal of an earlier round the user has neither accepted nor discarded: its staged content. */
export interface PendingProposal {
  path: string;
  content: string;
  subtask: number;
}

export interface FollowUpMaterial {
  refinement: string;
  /** The earlier round's summary, if it wrote one. */
  summary: string | undefined;
  /** Kept answers (`answers/N.md`) and prompts (`prompts/N.json`), by subtask. */
  answers: ReadonlyMap<number, string>;
  prompts: ReadonlyMap<number, readonly ChatMessage[]>;
  pending: readonly PendingProposal[];
  /** The run's record as it ended, before this round: what a round cancelled at its plan leaves. */
  earlier?: RunRecord;
  /** What changes in the run folder as the round starts. */
  open?: () => Promise<void>;
}

/** The engine's hook for a follow-up round (engine.ts: `RunInput.followUp`). */
export class FollowUpRound {
  private readonly continued = new Map<number, number>();
  /** Earlier subtasks' texts, for a prompt that was not kept. */
  private readonly earlierTexts = new Map<number, string>();
  private task = '';

  constructor(private readonly material: FollowUpMaterial) {}

  get refinement(): string {
    return this.material.refinement;
  }

  /** The new round's subtasks, added to the record; the mayor's call is the decompose phase's. */
  async plan(context: PlanningContext, inputs: PlanningInputs): Promise<Subtask[]> {
    const { record, flags } = context;
    this.task = record.task;
    for (const subtask of record.subtasks) this.earlierTexts.set(subtask.index, subtask.text);
    if (inputs.reviewed) await this.seedPending(context);
    else if (this.material.pending.length > 0) context.warn(`this round writes to disk, so it starts from the files there: the proposals still waiting for review (${this.material.pending.map((proposal) => proposal.path).join(', ')}) are not its base, and stay in the run folder`);
    const earlierPlan = new Map(record.subtasks.map((subtask) => [subtask.index, subtask]));
    const messages = followUpPlanMessages({ earlier: { record, summary: this.material.summary }, refinement: this.refinement, maxSubtasks: flags.maxSubtasks, specialists: inputs.specialists, map: inputs.mayorMap(`${record.task}\n${this.refinement}`), override: inputs.chain.systemPrompt });
    const routed = await context.call({ purpose: 'decompose', role: flags.role, chain: inputs.chain, messages }, inputs.phase);
    const after = record.subtasks.reduce((last, subtask) => Math.max(last, subtask.index), 0);
    let plan;
    try {
      plan = parseFollowUpPlan(routed.result.text, after, { specialists: inputs.specialists.map((specialist) => specialist.name), maxSubtasks: flags.maxSubtasks });
      dependencyWaves(plan.subtasks);
    } catch (error) {
      context.decide('decompose', flags.role, 'plan the refinement', 'parse the plan', 'failed', `${error instanceof Error ? error.message : String(error)}; the answer began: ${routed.result.text.slice(0, 300)}`);
      throw error;
    }
    for (const warning of plan.warnings) context.warn(warning);
    for (const subtask of plan.subtasks) subtask.files = inputs.filesOf(subtask.files, subtask.text);
    if (inputs.approve) plan.subtasks = await inputs.approve(plan.subtasks, after + 1);
    // Only an approved round changes the run folder: one cancelled at its plan leaves it as it was.
    await this.material.open?.();
    const authors = lastAuthors(record);
    for (const [index, earlier] of continuations(plan.subtasks, authors, (candidate) => this.material.answers.has(candidate) && earlierPlan.has(candidate))) this.continued.set(index, earlier);
    const round = currentRound(record);
    for (const subtask of plan.subtasks) {
      const continues = this.continued.get(subtask.index);
      record.subtasks.push({ ...subtaskRecord(subtask), round, ...(continues === undefined ? {} : { continues }) });
    }
    const lines = plan.subtasks.map((subtask) => `${subtask.index}. ${subtask.text.split('\n')[0]}${this.continued.has(subtask.index) ? ` (continues subtask ${this.continued.get(subtask.index)})` : ''}`);
    context.decide('decompose', flags.role, 'plan the refinement', `ask ${routed.entry.reference}`, `${plan.subtasks.length} subtasks in round ${round}`, lines.join('\n'), routed.result.usage.outputTokens);
    return plan.subtasks;
  }

  /**
   * A round cancelled at its plan (PlanDeclinedError) puts `record` back as the run ended before it,
   * in place (the live record others hold is this object). False when there is no earlier record.
   */
  undo(record: RunRecord): boolean {
    const { earlier } = this.material;
    if (earlier === undefined) return false;
    const restored = declinedRound(earlier, record);
    for (const key of Object.keys(record)) delete (record as unknown as Record<string, unknown>)[key];
    Object.assign(record, restored);
    return true;
  }

  /**
   * The round as it was planned, to resume it after an interruption: the workers its subtasks continue
   * (their `continues`) go on from their conversations again.
   */
  resume(record: RunRecord): void {
    this.task = record.task;
    const round = currentRound(record);
    for (const subtask of record.subtasks) {
      if (roundOf(subtask) < round) this.earlierTexts.set(subtask.index, subtask.text);
      else if (subtask.continues !== undefined && this.material.answers.has(subtask.continues)) this.continued.set(subtask.index, subtask.continues);
    }
  }

  /** Pending proposals are the files as this round finds them: in the working copy, by the subtask that proposed them. */
  async seedPending(context: Pick<PlanningContext, 'workingCopy' | 'warn'>): Promise<void> {
    for (const proposal of this.material.pending) {
      const result = await context.workingCopy.commit({ files: [{ path: proposal.path, content: proposal.content, line: 0 }], edits: [], findings: [], cutOff: false }, proposal.subtask, { rewriteAllowed: true });
      if (!result.ok) context.warn(`the pending proposal of ${proposal.path} could not be taken as this round's base (${result.problems.map((problem) => problem.message.split('\n')[0]).join('; ')}); the round starts from the file on disk`);
    }
  }

  /** The conversation a subtask that continues an earlier worker starts from; undefined for a fresh one. */
  conversation(subtask: Subtask, material: readonly string[]): ChatMessage[] | undefined {
    const earlierIndex = this.continued.get(subtask.index);
    const answer = earlierIndex === undefined ? undefined : this.material.answers.get(earlierIndex);
    if (earlierIndex === undefined || answer === undefined) return undefined;
    const prompt = this.material.prompts.get(earlierIndex);
    const earlierSubtask: Subtask = { index: earlierIndex, text: '', dependsOn: [], specialist: undefined, files: [] };
    return continuedConversation({ prompt, answer, subtask: { ...earlierSubtask, text: this.earlierText(earlierIndex) }, total: this.earlierTexts.size }, { task: this.task, refinement: this.refinement, subtask, material, override: undefined });
  }

  private earlierText(index: number): string {
    return this.earlierTexts.get(index) ?? '';
  }
}
