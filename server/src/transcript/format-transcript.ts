// A transcript as text for a terminal (`et transcript ID`): the task, the plan, each call with its
// prompt in short, its attempts and its whole answer, each gate with the end of its log, the summary.
// Model text passes through terminalSafe, so an escape sequence in an answer is shown, not obeyed. Pure.
import { costText } from '../cli/run-report';
import { terminalSafe } from '../cli/terminal-text';
import type { TranscriptAttempt, TranscriptEntry, TranscriptHeader } from '../protocol';

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

function attemptLine(attempt: TranscriptAttempt): string {
  const tokens = attempt.tokens.input + attempt.tokens.output;
  const usd = attempt.usd === null ? 'unpriced' : `$${attempt.usd.toFixed(4)}`;
  const why = attempt.errorClass ? ` (${attempt.errorClass}${attempt.message ? `: ${attempt.message}` : ''})` : '';
  return `  · ${attempt.reference} ${attempt.outcome}${why}, ${tokens} tokens, ${usd}, ${seconds(attempt.durationMs)}`;
}

export function formatHeaderText(run: TranscriptHeader): string {
  return [`run ${run.runId} — ${run.status}${run.error ? ` (${terminalSafe(run.error)})` : ''} — ${costText(run.spend)}`, `task: ${terminalSafe(run.task)}`, ''].join('\n');
}

export function formatEntry(entry: TranscriptEntry): string {
  switch (entry.kind) {
    case 'plan':
      return ['== plan ==', ...entry.subtasks.map((subtask) => `${subtask.index}. ${terminalSafe(subtask.text)}${subtask.files.length ? ` [files: ${subtask.files.join(', ')}]` : ''}${subtask.dependsOn.length ? ` [depends: ${subtask.dependsOn.join(', ')}]` : ''}${subtask.specialist ? ` [specialist: ${subtask.specialist}]` : ''}`), ''].join('\n');
    case 'call': {
      const who = `${entry.role}${entry.subtask === undefined ? '' : ` · subtask ${entry.subtask}`} · ${entry.purpose}`;
      const lines = [`== ${who}${entry.model ? ` · ${entry.model}` : ''} (${seconds(entry.durationMs)}) ==`];
      if (entry.prompt.messages > 0) lines.push(`prompt: ${entry.prompt.messages} messages, ${entry.prompt.chars} chars: ${terminalSafe(entry.prompt.text)}`);
      lines.push(...entry.attempts.map(attemptLine));
      if (entry.review) lines.push(`score: ${entry.review.score === undefined ? 'none' : entry.review.score.toFixed(1)} — ${terminalSafe(entry.review.reason)}`);
      if (entry.error !== undefined) lines.push(`error: ${terminalSafe(entry.error)}`);
      if (entry.text !== undefined) lines.push('', terminalSafe(entry.text.trimEnd()));
      return `${lines.join('\n')}\n`;
    }
    case 'build': {
      const lines = [`== gate ${entry.gate ?? 'build'} (round ${entry.iteration}) · ${entry.status}${entry.errors ? `, ${entry.errors} errors` : ''} (${seconds(entry.durationMs)}) ==`, `$ ${terminalSafe(entry.command)}`];
      if (!entry.passed && entry.output) lines.push(terminalSafe(entry.output.trimEnd()));
      return `${lines.join('\n')}\n`;
    }
    case 'summary':
      return `== summary ==\n${terminalSafe(entry.text.trimEnd())}\n`;
  }
}
