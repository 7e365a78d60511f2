// A transcript rebuilt from what a run folder kept before `_transcript.jsonl` existed: the record's
// plan, each subtask's answer (`answers/N.md` or `worker-N.out`) with its attempts, the witness's
// score and reasons, the phases' calls (no answers were kept for them), the gates and the summary.
// And the header every page carries: the run as its record says now. Pure.
import type { RunRecord, SubtaskRecord, TranscriptEntry, TranscriptHeader } from '../protocol';

export function transcriptHeader(record: RunRecord): TranscriptHeader {
  return {
    runId: record.id,
    task: record.task,
    status: record.status,
    error: record.error,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    outputDir: record.outputDir,
    subtasks: record.subtasks.map((subtask) => ({ index: subtask.index, text: subtask.text, status: subtask.status, model: subtask.model, review: subtask.review, revisions: subtask.revisions, error: subtask.error })),
    spend: { tokens: { ...record.totals.tokens }, usd: record.totals.usd, requests: record.totals.requests, unpricedAttempts: record.totals.unpricedAttempts, estimatedAttempts: record.totals.estimatedAttempts },
  };
}

export interface KeptTexts {
  /** By subtask: `answers/N.md`, else `worker-N.out`. */
  answers: ReadonlyMap<number, string>;
  synthesis: string | undefined;
}

const NO_PROMPT = { messages: 0, chars: 0, text: '' };

function subtaskEntries(subtask: SubtaskRecord, answer: string | undefined, at: string): TranscriptEntry[] {
  const own = subtask.attempts.filter((attempt) => attempt.role !== 'witness');
  const witness = subtask.attempts.filter((attempt) => attempt.role === 'witness');
  const durationMs = (attempts: typeof own) => attempts.reduce((sum, attempt) => sum + attempt.durationMs, 0);
  const entries: TranscriptEntry[] = [];
  if (own.length > 0 || answer !== undefined) {
    entries.push({ kind: 'call', at, seq: 0, role: own[0]?.role ?? 'polecat', purpose: 'work', subtask: subtask.index, model: subtask.model, prompt: NO_PROMPT, text: answer, error: subtask.error, attempts: own, durationMs: durationMs(own) });
  }
  if (subtask.review) {
    entries.push({ kind: 'call', at, seq: 0, role: 'witness', purpose: 'review', subtask: subtask.index, model: subtask.review.model, prompt: NO_PROMPT, text: undefined, error: undefined, attempts: witness, durationMs: durationMs(witness), review: { score: subtask.review.score, reason: subtask.review.reason } });
  }
  return entries;
}

export function entriesFromRecord(record: RunRecord, kept: KeptTexts): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  const phase = (name: string) => record.phases.find((candidate) => candidate.name === name);
  const phaseCalls = (name: string) => {
    const found = phase(name);
    if (!found || found.attempts.length === 0) return;
    const answered = found.attempts.findLast((attempt) => attempt.outcome === 'ok');
    entries.push({ kind: 'call', at: found.endedAt ?? found.startedAt, seq: 0, role: found.attempts[0].role, purpose: found.attempts[0].purpose, subtask: undefined, model: answered?.reference, prompt: NO_PROMPT, text: name === 'coordinate' ? record.brief : undefined, error: undefined, attempts: found.attempts, durationMs: found.durationMs ?? 0 });
  };
  phaseCalls('decompose');
  if (record.subtasks.length > 0) {
    entries.push({ kind: 'plan', at: phase('decompose')?.endedAt ?? record.startedAt, subtasks: record.subtasks.map(({ index, text, dependsOn, specialist, plannedFiles }) => ({ index, text, dependsOn, specialist, files: plannedFiles ?? [] })) });
  }
  phaseCalls('coordinate');
  const workersAt = phase('workers')?.endedAt ?? record.startedAt;
  for (const subtask of record.subtasks) entries.push(...subtaskEntries(subtask, kept.answers.get(subtask.index), subtask.endedAt ?? workersAt));
  const iterateAt = phase('iterate')?.endedAt ?? record.endedAt ?? record.startedAt;
  for (const step of record.build?.setup ?? []) entries.push({ kind: 'build', at: iterateAt, iteration: 0, gate: step.name, gateKind: 'setup', command: step.command, status: step.passed ? 'passed' : 'failed', passed: step.passed, errors: 0, durationMs: step.durationMs, log: step.log });
  for (const attempt of record.build?.attempts ?? []) entries.push({ kind: 'build', at: iterateAt, iteration: attempt.iteration, gate: attempt.gate, gateKind: attempt.kind, command: attempt.command, status: attempt.status ?? (attempt.passed ? 'passed' : 'failed'), passed: attempt.passed, errors: attempt.errors, durationMs: attempt.durationMs, log: attempt.log });
  phaseCalls('synthesize');
  phaseCalls('polish');
  if (kept.synthesis !== undefined) entries.push({ kind: 'summary', at: record.endedAt ?? record.startedAt, text: kept.synthesis });
  return entries;
}
