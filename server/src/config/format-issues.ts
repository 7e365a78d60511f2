// Issues for people (`PATH:LINE:COL: severity: message [code]`) and for programs (JSON, 0-based ranges).
import type { ConfigIssue } from './issues';
import { LineIndex, type Position } from './line-index';

export interface IssueJson {
  severity: ConfigIssue['severity'];
  code: string;
  message: string;
  range: { start: Position; end: Position };
}

export function issueToJson(issue: ConfigIssue, lines: LineIndex): IssueJson {
  return {
    severity: issue.severity,
    code: issue.code,
    message: issue.message,
    range: { start: lines.positionAt(issue.start), end: lines.positionAt(issue.end) },
  };
}

/** One line per issue, 1-based line and column, as compilers print them. */
export function formatIssueLine(file: string, issue: ConfigIssue, lines: LineIndex): string {
  const { line, character } = lines.positionAt(issue.start);
  return `${file}:${line + 1}:${character + 1}: ${issue.severity}: ${issue.message} [${issue.code}]`;
}
