// The validate phase's check of a worker's answer: it changes files, every block is closed, every path
// may be written. What it finds goes back to the worker once as a correction, and what remains after
// that is recorded as findings. Whether the edits apply is the working copy's check. Pure.
import type { ParsedAnswer } from '../edits/parse-answer';
import type { RunFinding } from '../protocol';
import { checkRelativePath } from './containment';

export interface AnswerCheck {
  /** For the worker, one line each; empty when the answer is usable as it is. */
  problems: string[];
  findings: RunFinding[];
}

export function checkAnswer(parsed: ParsedAnswer, subtask: number): AnswerCheck {
  const problems: string[] = [];
  const findings: RunFinding[] = [];
  if (parsed.files.length === 0 && parsed.edits.length === 0) problems.push('it changes no file: it has no SEARCH/REPLACE edits and no file blocks');
  for (const finding of parsed.findings) {
    problems.push(finding.message);
    findings.push({ source: 'file-blocks', subtask, file: undefined, line: finding.line, column: undefined, severity: 'warning', message: finding.message });
  }
  for (const path of new Set([...parsed.files.map((file) => file.path), ...parsed.edits.map((edit) => edit.path)])) {
    const check = checkRelativePath(path);
    if (check.ok) continue;
    const message = `the path ${JSON.stringify(path)} is refused: ${check.reason}; paths are relative to the project root and stay inside it`;
    problems.push(message);
    findings.push({ source: 'file-blocks', subtask, file: path, line: undefined, column: undefined, severity: 'error', message });
  }
  return { problems, findings };
}
