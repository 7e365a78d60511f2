// The witness's findings as LSP diagnostics on the generated files (source `electrictown witness`), for
// the editor's Problems panel and for any client that reads diagnostics. A finding names a 1-based line
// (and maybe a column); the range runs from there to the end of that line, which clients clamp. Pure.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { WITNESS_SOURCE, type FindingSeverity, type RunRecord } from '../protocol';
import { checkRelativePath } from '../run/containment';

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

const uriOf = (record: RunRecord, relative: string) => pathToFileURL(path.join(record.outputDir, relative)).href;

/**
 * Each generated file's diagnostics, by URI: every file the run wrote or proposed (an empty list clears what an
 * earlier run said about it) and every file the witness commented on. A path the witness made up
 * outside the output directory gets none.
 */
export function witnessDiagnostics(record: RunRecord): Map<string, Diagnostic[]> {
  const generated = [...record.files.written, ...(record.files.proposed ?? [])];
  const byUri = new Map<string, Diagnostic[]>(generated.map((file) => [uriOf(record, file.path), []]));
  for (const finding of record.findings) {
    if ((finding.source !== 'witness' && finding.source !== 'gates') || finding.file === undefined) continue;
    const checked = checkRelativePath(finding.file);
    if (!checked.ok) continue;
    const uri = uriOf(record, checked.relative);
    // A weakened test is the gates' finding: shown beside the witness's, without its refinery fix.
    const diagnostic = finding.source === 'gates' ? { ...findingDiagnostic(finding), source: GATES_SOURCE } : findingDiagnostic(finding, { runId: record.id, subtask: finding.subtask });
    byUri.set(uri, [...(byUri.get(uri) ?? []), diagnostic]);
  }
  return byUri;
}
