// Approving the plan before money is spent on it: after decompose, a run with `approvePlan` shows the
// plan with the most it can cost and waits — Approve, Edit (the plan as text, read like the mayor's
// answer), or Cancel. The estimate is an upper bound: each subtask's prompt (the task, the map, its text
// and its files) at the worker's input price with the worker's whole output cap, and the same for its
// review. The estimate and the plan's text are pure; the loop asks, reads edits and decides.
import { statSync } from 'node:fs';
import path from 'node:path';
import { parsePlan, type Subtask } from './decompose';
import { dependencyWaves } from './schedule';

export interface PlanApprovalRequest {
  runId: string;
  task: string;
  subtasks: { index: number; text: string; dependsOn: number[]; specialist: string | undefined; files: string[] }[];
  /** The plan as editable text: one numbered line per subtask, with its markers. */
  text: string;
  /** The most the workers and their reviews can cost, in USD; null when a model they use has no price. */
  estimateUsd: number | null;
  /** A follow-up round's plan: the round and the refinement it plans (the task is the run's). */
  round?: number;
  refinement?: string;
}

export type PlanDecision = { kind: 'approve' } | { kind: 'edit'; text: string } | { kind: 'cancel' };

export type ApprovePlan = (request: PlanApprovalRequest) => Promise<PlanDecision>;

/** The plan as the mayor would write it, so an edited version is read by the same parser. */
export function planText(subtasks: readonly Subtask[]): string {
  return subtasks
    .map((subtask) => {
      const markers = [subtask.files.length > 0 ? `[files: ${subtask.files.join(', ')}]` : '', subtask.dependsOn.length > 0 ? `[depends: ${subtask.dependsOn.join(', ')}]` : '', subtask.specialist ? `[specialist: ${subtask.specialist}]` : ''].filter((marker) => marker !== '');
      return `${subtask.index}. ${subtask.text.replace(/\n+/g, ' ').trim()}${markers.length > 0 ? ` ${markers.join(' ')}` : ''}`;
    })
    .join('\n');
}

export interface EstimateInputs {
  /** Tokens every worker's prompt carries: the task, the map, the instructions. */
  sharedTokens: number;
  /** Tokens of a project file (0 for one not there yet). */
  fileTokens(path: string): number;
  /** Per 1M tokens, of the model each role starts with; undefined: unpriced. */
  worker: { input: number; output: number } | undefined;
  witness: { input: number; output: number } | undefined;
  /** The output caps the calls are made with. */
  workerMaxTokens: number;
  witnessMaxTokens: number;
  reviews: boolean;
}

export function estimatePlanUsd(subtasks: readonly Subtask[], inputs: EstimateInputs): number | null {
  if (!inputs.worker || (inputs.reviews && !inputs.witness)) return null;
  let usd = 0;
  for (const subtask of subtasks) {
    const prompt = inputs.sharedTokens + Math.ceil(subtask.text.length / 4) + subtask.files.reduce((sum, file) => sum + inputs.fileTokens(file), 0);
    usd += (prompt * inputs.worker.input + inputs.workerMaxTokens * inputs.worker.output) / 1_000_000;
    if (inputs.reviews && inputs.witness) usd += ((prompt + inputs.workerMaxTokens) * inputs.witness.input + inputs.witnessMaxTokens * inputs.witness.output) / 1_000_000;
  }
  return usd;
}

export class PlanDeclinedError extends Error {
  constructor() {
    super('the plan was not approved: the run was cancelled before any worker started');
    this.name = 'PlanDeclinedError';
  }
}

/** What the loop needs of the run. */
export interface PlanApprovalContext {
  runId: string;
  task: string;
  /** A follow-up round: its number and refinement; its subtasks are numbered on from `firstIndex`. */
  followUp?: { round: number; refinement: string; firstIndex: number };
  specialists: string[];
  maxSubtasks: number;
  approve: ApprovePlan;
  signal: AbortSignal;
  /** A subtask's files: the ones it names and the project files its text names. */
  filesOf(files: string[], text: string): string[];
  estimateInputs(): { root: string; mapTokens: number; worker: RoleStart; witness: RoleStart | undefined };
  decide(action: string, outcome: string, detail?: string): void;
  warn(message: string): void;
  declined(): void;
}

interface RoleStart {
  pricing: { input: number; output: number } | undefined;
  maxTokens: number;
}

function estimate(subtasks: readonly Subtask[], context: PlanApprovalContext): number | null {
  const { root, mapTokens, worker, witness } = context.estimateInputs();
  return estimatePlanUsd(subtasks, {
    // The task, the map and the instructions every worker is given.
    sharedTokens: Math.ceil((context.task.length + (context.followUp?.refinement.length ?? 0)) / 4) + mapTokens + 1000,
    fileTokens: (file) => Math.ceil((statSync(path.join(root, file), { throwIfNoEntry: false })?.size ?? 0) / 4),
    worker: worker.pricing,
    witness: witness?.pricing,
    workerMaxTokens: worker.maxTokens,
    witnessMaxTokens: witness?.maxTokens ?? 0,
    reviews: witness !== undefined,
  });
}

/** Asks until the plan is approved (edits are read like the mayor's answer and asked about again). */
export async function approvedPlan(proposed: Subtask[], context: PlanApprovalContext): Promise<Subtask[]> {
  let subtasks = proposed;
  for (;;) {
    const round = context.followUp ? { round: context.followUp.round, refinement: context.followUp.refinement } : {};
    const decision = await context.approve({ runId: context.runId, task: context.task, subtasks: subtasks.map(({ index, text, dependsOn, specialist, files }) => ({ index, text, dependsOn, specialist, files })), text: planText(subtasks), estimateUsd: estimate(subtasks, context), ...round });
    context.signal.throwIfAborted();
    if (decision.kind === 'approve') {
      context.decide('approve', `${subtasks.length} subtasks`);
      return subtasks;
    }
    if (decision.kind !== 'edit') {
      context.declined();
      context.decide('cancel', 'the run ends before any worker starts');
      throw new PlanDeclinedError();
    }
    try {
      // Read as numbered where it was shown: a follow-up's subtasks go on from the run's last.
      const edited = parsePlan(decision.text, { specialists: context.specialists, maxSubtasks: context.maxSubtasks, firstIndex: context.followUp?.firstIndex });
      dependencyWaves(edited.subtasks);
      for (const warning of edited.warnings) context.warn(warning);
      for (const subtask of edited.subtasks) subtask.files = context.filesOf(subtask.files, subtask.text);
      subtasks = edited.subtasks;
      context.decide('edit', `${subtasks.length} subtasks`, planText(subtasks));
    } catch (error) {
      context.warn(`the edited plan cannot be read (${error instanceof Error ? error.message : String(error)}); the plan is as it was`);
    }
  }
}
