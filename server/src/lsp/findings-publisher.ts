// Publishes the findings of the runs it knows as diagnostics, placed by findings-placement.ts, and sends
// only what changed: a URI whose diagnostics are the same is not sent again, and a URI it published
// before but places nothing on now is cleared. URIs it never published (a file reviewed with
// `electrictown/reviewFile`) are left alone. It keeps the newest MAX_RUNS runs, slimmed to what placing
// needs.
import type { Diagnostic } from 'vscode-languageserver/node';
import type { ReviewState } from '../run/review-state';
import { placedRecord, placeFindings, type PlacedRecord, type PlacedRun, type ProposalDocument } from './findings-placement';

/** Runs whose findings are kept: the Runs view lists 30. */
export const MAX_RUNS = 100;

export class FindingsPublisher {
  private readonly runs = new Map<string, PlacedRun>();
  private readonly sent = new Map<string, string>();
  private proposals = new Map<string, ProposalDocument>();

  constructor(private readonly send: (uri: string, diagnostics: Diagnostic[]) => void) {}

  /** A run's record (new, or changed) with its review state; publishes unless `quiet` (more follow). */
  set(record: PlacedRecord, review: ReviewState, quiet = false): void {
    this.runs.set(record.id, { record: placedRecord(record), review });
    if (this.runs.size > MAX_RUNS) {
      const oldest = [...this.runs.values()].sort((a, b) => a.record.startedAt.localeCompare(b.record.startedAt))[0];
      this.runs.delete(oldest.record.id);
    }
    if (!quiet) this.publish();
  }

  /** The run's record as kept here (what placing its findings needs), if it is known. */
  record(runId: string): PlacedRecord | undefined {
    return this.runs.get(runId)?.record;
  }

  /** The pending proposal whose staged file this URI is, if it is one. */
  proposalAt(uri: string): ProposalDocument | undefined {
    return this.proposals.get(uri);
  }

  /** Sends every URI whose diagnostics changed since they were last sent. */
  publish(): void {
    const placement = placeFindings([...this.runs.values()]);
    this.proposals = placement.proposals;
    for (const [uri, diagnostics] of placement.diagnostics) {
      const text = JSON.stringify(diagnostics);
      if (this.sent.get(uri) === text) continue;
      this.sent.set(uri, text);
      this.send(uri, diagnostics);
    }
    for (const uri of [...this.sent.keys()]) {
      if (placement.diagnostics.has(uri)) continue;
      this.sent.delete(uri);
      this.send(uri, []);
    }
  }
}
