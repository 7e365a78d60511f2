// `et run`'s human output: the header, a line per finished worker, and the closing tables. Pure.
import type { BuildAttempt, BuildRecord, FileChangeRecord, PhaseRecord, RunRecord, Spend, WrittenFile } from '../protocol';
import { formatUsd } from './costs-report';

const count = (value: number) => value.toLocaleString('en-US');
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;

export function costText(spend: Pick<Spend, 'usd' | 'unpricedAttempts' | 'requests'>): string {
  if (spend.requests > 0 && spend.unpricedAttempts === spend.requests) return 'unpriced';
  return spend.unpricedAttempts > 0 ? `${formatUsd(spend.usd)} + ${spend.unpricedAttempts} unpriced` : formatUsd(spend.usd);
}

export interface HeaderFacts {
  /** What the header shows of the run; known before its record is. */
  record: Pick<RunRecord, 'id' | 'task' | 'config' | 'outputDir' | 'flags' | 'folder'>;
  /** Role → its chain's label and models, e.g. ['mayor', 'general → coder']. */
  chains: [string, string][];
}

export function formatHeader({ record, chains }: HeaderFacts): string {
  const { flags } = record;
  const limits = [`workers ${flags.workers}`, `max subtasks ${flags.maxSubtasks}`, `timeout ${flags.timeoutMinutes} min`, flags.budgetUsd === null ? 'no budget' : `budget ${formatUsd(flags.budgetUsd)}`];
  const skipped = (['coordinate', 'reviewer', 'refinery', 'synthesize', 'specialists'] as const).filter((flag) => !flags[flag]).map((flag) => `--no-${flag}`);
  const rows: [string, string][] = [['task', record.task.split('\n')[0]], ['config', record.config.path], ...chains, ['output', record.outputDir], ['limits', limits.join(' · ')], ...(skipped.length ? [['skipping', skipped.join(' ')] as [string, string]] : []), ['run', record.folder]];
  const width = Math.max(...rows.map(([key]) => key.length));
  return `electrictown run ${record.id}\n${rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`).join('\n')}\n`;
}

export interface WorkerLine {
  index: number;
  total: number;
  model: string | undefined;
  succeeded: boolean;
  /** What the worker's own calls generated, and how long they took (reviews are not counted). */
  outputTokens: number;
  durationMs: number;
  /** The subtask from start to end, reviews and revisions included. */
  elapsedMs: number;
  detail: string | undefined;
}

/** `[2/5] coder ✓ (1,234 tok, 56.7 tok/s, 2.1 s)`: the worker's output tokens, its rate, the subtask's time. */
export function formatWorkerLine(line: WorkerLine): string {
  const rate = line.durationMs > 0 ? (line.outputTokens * 1000) / line.durationMs : 0;
  const figures = `(${count(line.outputTokens)} tok, ${rate.toFixed(1)} tok/s, ${seconds(line.elapsedMs)})`;
  return `[${line.index}/${line.total}] ${line.model ?? '-'} ${line.succeeded ? '✓' : '✗'} ${figures}${line.detail ? ` ${line.detail}` : ''}\n`;
}

function table(rows: string[][], rightAligned: (column: number) => boolean): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (rightAligned(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Wall-clock time of each phase; validate and review overlap the workers they run inside. */
export function formatPhaseTable(phases: readonly PhaseRecord[], totalMs: number): string {
  const rows = [['PHASE', 'TIME'], ...phases.map((phase) => [phase.name, seconds(phase.durationMs ?? 0)]), ['total', seconds(totalMs)]];
  return table(rows, (column) => column === 1);
}

export function formatRoleTable(totals: RunRecord['totals']): string {
  const roles = Object.entries(totals.byRole).sort(([, a], [, b]) => b.usd - a.usd);
  const cells = (name: string, spend: Spend) => [name, count(spend.requests), count(spend.tokens.input), count(spend.tokens.output), costText(spend)];
  const rows = [['ROLE', 'REQUESTS', 'INPUT', 'OUTPUT', 'COST'], ...roles.map(([role, spend]) => cells(role, spend)), cells('total', totals)];
  return table(rows, (column) => column > 0 && column < 4);
}

const STATUS_TEXT: Record<RunRecord['status'], string> = { running: 'running', succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled', budget_exceeded: 'stopped at the budget' };

/** How a written file came to be: `new`, `2 blocks (+7 −0) by subtask 1`, `rewritten by subtask 2`. */
export function describeWrite(file: WrittenFile, change: FileChangeRecord | undefined): string {
  if (!change) return `${count(file.bytes)} bytes, subtask ${file.subtask}`;
  const by = `subtask${change.subtasks.length === 1 ? '' : 's'} ${change.subtasks.join(', ')}`;
  if (change.created) return `new, ${count(file.bytes)} bytes, ${by}`;
  const blocks = change.edits.reduce((sum, edit) => sum + edit.blocks, 0);
  const rewritten = change.edits.some((edit) => edit.kind === 'rewrite');
  return `${rewritten ? 'rewritten' : 'edited'}: ${blocks > 0 ? `${blocks} block${blocks === 1 ? '' : 's'}, ` : ''}+${change.added} −${change.removed}, ${by}`;
}

const GATE_MARK: Record<NonNullable<BuildAttempt['status']>, string> = { passed: '✓', failed: '✗', 'timed-out': '✗ timed out', 'no-tests': '— no tests', flaky: '✓ (flaky: failed once)' };

/** Each round's gates with their results, then the logs: `round 1: build ✓, vet ✓, test ✗ 2 failing`. */
export function formatGates(build: BuildRecord): string[] {
  const lines: string[] = [];
  if (build.sandbox) lines.push(`gates ${build.sandbox}`);
  for (const step of build.setup ?? []) lines.push(`setup: ${step.name} (${step.command}) ${step.cached ? '✓ as before: its inputs are unchanged' : `${step.passed ? '✓' : '✗'} — ${step.log}`}`);
  const rounds = [...new Set(build.attempts.map((attempt) => attempt.iteration))];
  for (const round of rounds) {
    const gates = build.attempts.filter((attempt) => attempt.iteration === round).map((attempt) => {
      const mark = attempt.status ? GATE_MARK[attempt.status] : attempt.passed ? '✓' : '✗';
      const count = !attempt.passed && attempt.errors > 0 ? ` ${attempt.errors} ${attempt.kind === 'test' ? 'failing' : `error${attempt.errors === 1 ? '' : 's'}`}` : '';
      return `${attempt.gate ?? attempt.command} ${mark}${count}`;
    });
    lines.push(`round ${round}: ${gates.join(', ')}`);
  }
  lines.push(`gates ${build.status}${build.reason ? `: ${build.reason}` : ''}; logs: ${build.attempts.map((attempt) => attempt.log).join(', ') || 'none'}`);
  return lines;
}

/** Files, problems and where the record is: what to look at next. */
export function formatOutcome(record: RunRecord): string {
  const lines: string[] = [];
  const { written, refused, conflicts } = record.files;
  if (written.length > 0) lines.push(`wrote ${written.length} file${written.length === 1 ? '' : 's'} into ${record.outputDir}:`, ...written.map((file) => `  ${file.path} (${describeWrite(file, record.changes?.find((change) => change.path === file.path))})`));
  for (const file of refused) lines.push(`refused: ${file.path} (subtask ${file.subtask}): ${file.reason}`);
  for (const conflict of conflicts) lines.push(`conflict: ${conflict.path} written by subtasks ${conflict.subtasks.join(', ')}; kept subtask ${conflict.kept}'s`);
  const witness = record.findings.filter((finding) => finding.source === 'witness');
  if (witness.length > 0) lines.push(`the witness has ${witness.length} finding${witness.length === 1 ? '' : 's'} (in run.json):`, ...witness.slice(0, 20).map((finding) => `  ${finding.file}:${finding.line ?? 1}: ${finding.severity}: ${finding.message}`));
  if (witness.length > 20) lines.push(`  … and ${witness.length - 20} more`);
  const build = record.build;
  if (build && build.status !== 'not-run') lines.push(...formatGates(build));
  for (const warning of record.warnings) lines.push(`warning: ${warning}`);
  lines.push(`run ${record.id} ${STATUS_TEXT[record.status]}${record.error ? `: ${record.error}` : ''}`, `record: ${record.folder}/run.json`);
  return `${lines.join('\n')}\n`;
}
