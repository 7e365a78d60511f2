// What the agent gets back from a run: how it ended, the team's summary, the files (proposed, with
// line counts, and whether they still wait for review), the findings and the spend — as text parts a
// model reads. A run that did not start, or bad input, is an honest answer too, never a thrown error.
// Pure.
import type { FileChangeRecord } from '../../../server/src/protocol';
import { formatUsd, type RunView } from '../runs/run-view';

/** What the tool learns besides the run's view: from its record and the Changes view, after it ended. */
export interface RunDetails {
  /** The refinery's (or mayor's) summary; undefined when none was written or it could not be read. */
  summary: string | undefined;
  /** Per path, lines added and removed (the record's `changes`; absent for older servers). */
  changes: readonly Pick<FileChangeRecord, 'path' | 'created' | 'added' | 'removed'>[];
  /** Proposed paths still waiting for review in Changes (the rest were applied: `electrictown.autoApply`). */
  pending: readonly string[];
  /** The agent's `files` the team was not shown: outside the output folder. */
  notShown?: readonly string[];
}

const SUMMARY_LIMIT = 4000;
const FINDINGS_LIMIT = 20;

const ENDINGS: Record<string, string> = { succeeded: 'succeeded', failed: 'failed', cancelled: 'was cancelled', budget_exceeded: 'stopped at its budget', running: 'is still running' };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function statusText(view: RunView): string {
  const { usd, requests, unpricedAttempts } = view.spend;
  // Unpriced calls are never counted as free.
  const unpriced = unpricedAttempts > 0 ? `; ${unpricedAttempts} of them had no price and are not in that figure` : '';
  const spent = `Spent ${formatUsd(usd, 0)} in ${plural(requests, 'model call')}${unpriced}.`;
  if (view.interrupted) return `Electrictown run ${view.id} was interrupted: the server stopped while it ran. ${spent} The user can continue it with Resume Run.`;
  const done = view.subtasks.filter((subtask) => subtask.status === 'succeeded').length;
  const subtasks = view.subtasks.length > 0 ? ` ${done} of ${plural(view.subtasks.length, 'subtask')} succeeded.` : '';
  return `Electrictown run ${view.id} ${ENDINGS[view.status] ?? view.status}${view.error ? `: ${view.error}` : ''}.${subtasks} ${spent}`;
}

function lineCounts(path: string, details: RunDetails): string {
  const change = details.changes.find((candidate) => candidate.path === path);
  return change ? `, +${change.added} −${change.removed} lines` : '';
}

function filesText(view: RunView, details: RunDetails): string {
  const lines: string[] = [];
  if (view.proposed.length > 0) {
    const pending = new Set(details.pending);
    lines.push(`Proposed ${plural(view.proposed.length, 'file')} (relative to ${view.outputDir || 'the output folder'}):`);
    for (const file of view.proposed) {
      const state = pending.has(file.path) ? 'waiting for review' : 'applied';
      lines.push(`- ${file.path} (${file.existed ? 'replaces the file' : 'new file'}${lineCounts(file.path, details)}; ${state}${file.runsCode ? `; would run code: ${file.runsCode}` : ''})`);
    }
  }
  if (view.written.length > 0) {
    lines.push(`Written to disk (${view.outputDir || 'the output folder'}):`);
    for (const file of view.written) lines.push(`- ${file.path}${lineCounts(file.path, details)}`);
  }
  for (const file of view.refused) lines.push(`Refused: ${file.path} (${file.reason})`);
  return lines.length > 0 ? lines.join('\n') : 'The run proposed and wrote no files.';
}

function findingsText(view: RunView): string | undefined {
  if (view.findings.length === 0) return undefined;
  const shown = view.findings.slice(0, FINDINGS_LIMIT).map((finding) => {
    const place = finding.file ? `${finding.file}${finding.line !== undefined ? `:${finding.line}` : ''}` : `subtask ${finding.subtask}`;
    return `- ${place}: ${finding.severity} (${finding.source}): ${finding.message}`;
  });
  const more = view.findings.length > FINDINGS_LIMIT ? [`- … and ${view.findings.length - FINDINGS_LIMIT} more (in the Problems panel)`] : [];
  return [`Findings (${view.findings.length}):`, ...shown, ...more].join('\n');
}

function reviewText(view: RunView, details: RunDetails): string | undefined {
  if (details.pending.length > 0) return `The ${plural(details.pending.length, 'proposed file')} ${details.pending.length === 1 ? 'is' : 'are'} pending review in electrictown's Changes view: nothing of ${details.pending.length === 1 ? 'it' : 'them'} is applied until the user accepts ${details.pending.length === 1 ? 'it' : 'them'} there. Do not write ${details.pending.length === 1 ? 'it' : 'them'} yourself.`;
  if (view.proposed.length > 0) return 'The proposed files were applied (electrictown.autoApply is on); one Undo takes them back.';
  return undefined;
}

/** The tool's answer for a run that ended (or was interrupted), in parts. */
export function runResultParts(view: RunView, details: RunDetails): string[] {
  const summary = details.summary?.trim();
  const summaryText = summary ? `Summary:\n${summary.length > SUMMARY_LIMIT ? `${summary.slice(0, SUMMARY_LIMIT)}… (the rest is in ${view.folder})` : summary}` : 'No summary was written.';
  const notShown = details.notShown?.length ? `Not shown to the team (outside the output folder): ${details.notShown.join(', ')}.` : undefined;
  return [statusText(view), summaryText, filesText(view, details), findingsText(view), notShown, reviewText(view, details)].filter((part): part is string => part !== undefined);
}

/** The tool's answer when no run ran: what was wrong, in a sentence the agent can act on. */
export function notRunText(reason: string): string {
  return `No electrictown run was started: ${reason}.`;
}
