// Where each run's findings are shown, from the run records and their review states. A file the run
// wrote carries its findings; a proposed file carries them on the proposal (the staged file, the diff's
// right side) while it is pending, on the real file once accepted, and nowhere once discarded. A real
// file shows the findings of the run that last put content there (the latest write or accept); a finding
// the refinery fixed is not shown. Every URI a run concerns gets an entry (empty clears it). Pure.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { RunRecord } from '../protocol';
import { checkRelativePath } from '../run/containment';
import { decisionOf, isFixed, type ReviewState } from '../run/review-state';
import { findingDiagnostic, GATES_SOURCE } from './witness-diagnostics';

/** What placing a run's findings needs of its record: the rest of a record is not kept in memory. */
export type PlacedRecord = Pick<RunRecord, 'id' | 'startedAt' | 'endedAt' | 'folder' | 'outputDir' | 'findings'> & { files: Pick<RunRecord['files'], 'written' | 'proposed'> };

export interface PlacedRun {
  record: PlacedRecord;
  review: ReviewState;
}

/** A pending proposal's staged file: which run proposed which file. */
export interface ProposalDocument {
  runId: string;
  /** Relative to the output directory. */
  path: string;
  /** Absolute: where it goes when accepted. */
  target: string;
}

export interface Placement {
  diagnostics: Map<string, Diagnostic[]>;
  /** Pending proposals by their staged file's URI. */
  proposals: Map<string, ProposalDocument>;
}

export const fileUri = (file: string): string => pathToFileURL(file).href;

/** The slim part of a record the placement keeps. */
export function placedRecord(record: PlacedRecord): PlacedRecord {
  return { id: record.id, startedAt: record.startedAt, endedAt: record.endedAt, folder: record.folder, outputDir: record.outputDir, findings: record.findings, files: { written: record.files.written, proposed: record.files.proposed } };
}

/** A run's findings on one of its files (relative), as diagnostics, without the fixed ones. */
function diagnosticsFor(run: PlacedRun, relative: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const finding of run.record.findings) {
    if ((finding.source !== 'witness' && finding.source !== 'gates') || finding.file === undefined) continue;
    const checked = checkRelativePath(finding.file);
    if (!checked.ok || checked.relative !== relative) continue;
    if (isFixed(run.review, { path: relative, line: finding.line ?? null, message: finding.message })) continue;
    // A weakened test is the gates' finding: shown beside the witness's, without its refinery fix.
    diagnostics.push(finding.source === 'gates' ? { ...findingDiagnostic(finding), source: GATES_SOURCE } : findingDiagnostic(finding, { runId: run.record.id, subtask: finding.subtask }));
  }
  return diagnostics;
}

const time = (iso: string | undefined) => (iso === undefined ? 0 : Date.parse(iso) || 0);

export function placeFindings(runs: readonly PlacedRun[]): Placement {
  const diagnostics = new Map<string, Diagnostic[]>();
  const proposals = new Map<string, ProposalDocument>();
  // Per real file: the run that last put content there, and when.
  const owners = new Map<string, { run: PlacedRun; relative: string; at: number; order: number }>();
  const claim = (uri: string, run: PlacedRun, relative: string, at: number, order: number) => {
    const known = owners.get(uri);
    if (!known || at > known.at || (at === known.at && order > known.order)) owners.set(uri, { run, relative, at, order });
  };
  const ordered = [...runs].sort((a, b) => time(a.record.startedAt) - time(b.record.startedAt));
  ordered.forEach((run, order) => {
    const { record } = run;
    const ended = time(record.endedAt ?? record.startedAt);
    const placed = new Set<string>();
    for (const file of record.files.written) {
      placed.add(file.path);
      claim(fileUri(path.join(record.outputDir, file.path)), run, file.path, ended, order);
    }
    for (const file of record.files.proposed ?? []) {
      placed.add(file.path);
      const staged = fileUri(file.staged);
      const decision = decisionOf(run.review, file.path);
      diagnostics.set(staged, decision === 'pending' ? diagnosticsFor(run, file.path) : []);
      if (decision === 'pending') proposals.set(staged, { runId: record.id, path: file.path, target: file.target });
      if (decision === 'accepted') claim(fileUri(file.target), run, file.path, time(run.review.files[file.path]?.at), order);
    }
    // The witness may comment on a file the run did not change: that file on disk is what it saw.
    for (const finding of record.findings) {
      if ((finding.source !== 'witness' && finding.source !== 'gates') || finding.file === undefined) continue;
      const checked = checkRelativePath(finding.file);
      if (checked.ok && !placed.has(checked.relative)) {
        placed.add(checked.relative);
        claim(fileUri(path.join(record.outputDir, checked.relative)), run, checked.relative, ended, order);
      }
    }
  });
  for (const [uri, owner] of owners) diagnostics.set(uri, diagnosticsFor(owner.run, owner.relative));
  return { diagnostics, proposals };
}
