// The witness's findings as LSP diagnostics (source `electrictown witness`), for the editor's Problems
// panel and for any client that reads diagnostics (findings-placement.ts says on which file each goes).
// A finding names a 1-based line (and maybe a column); the range runs from there to the end of that
// line, which clients clamp. Pure.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { WITNESS_SOURCE, type FindingSeverity } from '../protocol';

/** Past any real line's end: LSP clients clamp a character beyond the line to its end. */
const LINE_END = 10_000;

const SEVERITIES: Record<FindingSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Findings of the gates (a fix that weakened a test). */
export const GATES_SOURCE = 'electrictown gates';

/** What a code action needs to send a finding to the refinery. */
export interface WitnessDiagnosticData {
  runId: string;
  subtask: number;
}

/** One finding as a diagnostic: from its line (and column) to that line's end. */
export function findingDiagnostic(finding: { line: number | undefined; column: number | undefined; severity: FindingSeverity; message: string }, data?: WitnessDiagnosticData): Diagnostic {
  const line = Math.max(0, (finding.line ?? 1) - 1);
  return {
    range: { start: { line, character: Math.max(0, (finding.column ?? 1) - 1) }, end: { line, character: LINE_END } },
    severity: SEVERITIES[finding.severity],
    source: WITNESS_SOURCE,
    message: finding.message,
    ...(data ? { data } : {}),
  };
}
