// The validate phase's check of a worker's answer: files are there, every block is closed, every path
// may be written. What it finds goes back to the worker once as a correction, and what remains after
// that is recorded as findings. Pure.
import type { RunFinding } from '../protocol';
import { checkRelativePath } from './containment';
import type { ParsedBlocks } from './file-blocks';

export interface AnswerCheck {
  /** For the worker, one line each; empty when the answer is usable as it is. */
  problems: string[];
  findings: RunFinding[];
}

export function checkAnswer(parsed: ParsedBlocks, subtask: number): AnswerCheck {
  const problems: string[] = [];
  const findings: RunFinding[] = [];
  if (parsed.files.length === 0) problems.push('it has no file blocks');
  for (const finding of parsed.findings) {
    problems.push(finding.message);
    findings.push({ source: 'file-blocks', subtask, file: undefined, line: finding.line, column: undefined, severity: 'warning', message: finding.message });
  }
  for (const file of parsed.files) {
    const check = checkRelativePath(file.path);
    if (check.ok) continue;
    const message = `the path ${JSON.stringify(file.path)} is refused: ${check.reason}; paths are relative to the project root and stay inside it`;
    problems.push(message);
    findings.push({ source: 'file-blocks', subtask, file: file.path, line: undefined, column: undefined, severity: 'error', message });
  }
  return { problems, findings };
}
