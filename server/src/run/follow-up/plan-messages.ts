// The mayor's follow-up planning: what it is shown (the task, the rounds so far — their plans, what
// each subtask wrote, findings, gate results, summary — and the refinement), and its answer read as the
// new round's subtasks, numbered on from the run's last. Pure.
import type { ChatMessage } from '../../providers/language-model';
import type { RunRecord } from '../../protocol';
import { parsePlan, type Plan } from '../decompose';
import { instructed, type SpecialistNote } from '../messages';
import { roundOf } from './round-record';

/** Findings shown to the mayor, at most: the rest are counted. */
const MAX_FINDINGS = 20;
const MAX_SUMMARY_CHARS = 4000;

export interface EarlierWork {
  /** The record as the new round starts: the rounds so far in `rounds`, their subtasks in `subtasks`. */
  record: Pick<RunRecord, 'task' | 'subtasks' | 'rounds'>;
  /** The last round's summary (`_synthesis.md`), when it was written. */
  summary: string | undefined;
}

function listOrNone(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}

/** What the team did so far, as the mayor reads it: every round's plan, then the last round's outcome. */
export function earlierWorkText({ record, summary }: EarlierWork): string {
  const parts: string[] = [];
  const rounds = record.rounds ?? [];
  const refinements = rounds.slice(1).map((round) => `- round ${round.round}: ${round.task}`);
  if (refinements.length > 0) parts.push(`Refinements asked for since:\n${refinements.join('\n')}`);
  const plan = record.subtasks.map((subtask) => {
    const wrote = subtask.files.length > 0 ? `; wrote ${subtask.files.join(', ')}` : '';
    return `${subtask.index}. (round ${roundOf(subtask)}, ${subtask.status}${wrote}${subtask.error ? `; ${subtask.error.split('\n')[0]}` : ''}) ${subtask.text.split('\n')[0]}`;
  });
  parts.push(`The plan so far:\n${plan.join('\n')}`);
  const last = rounds.at(-1);
  if (last === undefined) return parts.join('\n\n');
  const { files } = last;
  const outcome = [`The last round ended ${last.status}${last.error ? `: ${last.error.split('\n')[0]}` : ''}.`];
  outcome.push(`Files written: ${listOrNone(files.written.map((file) => file.path))}.`);
  if (files.proposed) outcome.push(`Files proposed for the user's review: ${listOrNone(files.proposed.map((file) => file.path))}.`);
  if (files.refused.length > 0) outcome.push(`Files refused: ${files.refused.map((file) => `${file.path} (${file.reason})`).join(', ')}.`);
  parts.push(outcome.join('\n'));
  if (last.findings.length > 0) {
    const shown = last.findings.slice(0, MAX_FINDINGS).map((finding) => `- ${finding.file ?? `subtask ${finding.subtask}`}${finding.line === undefined ? '' : `:${finding.line}`}: ${finding.severity}: ${finding.message.split('\n')[0]}`);
    const more = last.findings.length - shown.length;
    parts.push(`Findings:\n${shown.join('\n')}${more > 0 ? `\n(and ${more} more)` : ''}`);
  }
  const build = last.build;
  if (build) {
    const attempt = build.attempts.at(-1);
    parts.push(`Gates: ${build.status}${build.reason ? ` (${build.reason})` : ''}${attempt ? `; last: ${attempt.gate ?? 'build'} with ${attempt.errors} ${attempt.kind === 'test' ? 'failing tests' : 'errors'}` : ''}.`);
  }
  if (summary) parts.push(`The team's summary of the last round:\n${summary.length > MAX_SUMMARY_CHARS ? `${summary.slice(0, MAX_SUMMARY_CHARS)}…` : summary.trim()}`);
  return parts.join('\n\n');
}

export interface FollowUpPlanInput {
  earlier: EarlierWork;
  refinement: string;
  maxSubtasks: number;
  specialists: readonly SpecialistNote[];
  /** The project map, most relevant to the refinement first; undefined for none. */
  map: string | undefined;
  override: string | undefined;
}

export function followUpPlanMessages(input: FollowUpPlanInput): ChatMessage[] {
  const list = input.specialists.length === 0 ? 'There are no specialists.' : `Specialists:\n${input.specialists.map((specialist) => `- ${specialist.name}${specialist.description ? `: ${specialist.description}` : ''}`).join('\n')}`;
  const parts = [`Task:\n${input.earlier.record.task}`, earlierWorkText(input.earlier)];
  if (input.map !== undefined) parts.push(`The project as it is now (a map of its files and what they define, the most relevant first):\n${input.map}`);
  parts.push(`The refinement:\n${input.refinement}`);
  return instructed('mayor-followup', input.override, parts.join('\n\n'), { max_subtasks: String(input.maxSubtasks), specialists: list });
}

/** The mayor's answer as the new round's subtasks: numbered from `after + 1`, their dependencies with them. */
export function parseFollowUpPlan(answer: string, after: number, options: { specialists: readonly string[]; maxSubtasks: number }): Plan {
  const plan = parsePlan(answer, options);
  for (const subtask of plan.subtasks) {
    subtask.index += after;
    subtask.dependsOn = subtask.dependsOn.map((dependency) => dependency + after);
  }
  return plan;
}
