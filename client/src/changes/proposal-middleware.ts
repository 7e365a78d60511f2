// The server names a pending proposal by its staged file (a `file:` URI in the run folder); the editor
// shows it at its proposal URI (proposal-uris.ts). This language client middleware moves between the
// two, so the protocol stays as it is: the witness's findings on a staged file show on the proposal
// (and move back when it is decided, or onto it when a run's proposals arrive after its findings), and
// the refinery's edit of a staged file goes into the proposal's document — the one open in the diff.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

// The library calls the next handler with the params alone; its type also wants a token.
const NOT_CANCELLED = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };

type Next = (uri: vscode.Uri, diagnostics: vscode.Diagnostic[]) => void;

/** What the server last published for a URI, and where it shows. */
interface Published {
  uri: vscode.Uri;
  diagnostics: vscode.Diagnostic[];
  shownAt: vscode.Uri;
  next: Next;
}

export class ProposalMiddleware {
  private readonly published = new Map<string, Published>();

  /** `proposalOf`: the proposal URI of a pending proposal's staged file, else undefined. */
  constructor(private readonly proposalOf: (uri: vscode.Uri) => vscode.Uri | undefined) {}

  readonly middleware: Middleware = {
    handleDiagnostics: (uri, diagnostics, next) => {
      const shownAt = this.proposalOf(uri) ?? uri;
      // Shown elsewhere before (its proposal was decided, or became pending, since): not there any more.
      const before = this.published.get(uri.toString());
      if (before && before.shownAt.toString() !== shownAt.toString()) next(before.shownAt, []);
      if (diagnostics.length === 0 && shownAt === uri) this.published.delete(uri.toString());
      else this.published.set(uri.toString(), { uri, diagnostics, shownAt, next });
      next(shownAt, diagnostics);
    },
    workspace: {
      handleApplyEdit: (params, next) => {
        const { edit } = params;
        const mapped = (uri: string) => {
          const proposal = uri.startsWith('file:') ? this.proposalOf(vscode.Uri.parse(uri)) : undefined;
          return proposal ? proposal.toString() : uri;
        };
        const documentChanges = edit.documentChanges?.map((change) => ('textDocument' in change ? { ...change, textDocument: { ...change.textDocument, uri: mapped(change.textDocument.uri) } } : change));
        const changes = edit.changes ? Object.fromEntries(Object.entries(edit.changes).map(([uri, edits]) => [mapped(uri), edits])) : undefined;
        return next({ ...params, edit: { ...edit, ...(documentChanges ? { documentChanges } : {}), ...(changes ? { changes } : {}) } }, NOT_CANCELLED);
      },
    },
  };

  /** Proposals became pending or were decided: findings go where their file now shows. */
  remap(): void {
    for (const [key, entry] of this.published) {
      const now = this.proposalOf(entry.uri) ?? entry.uri;
      if (now.toString() === entry.shownAt.toString()) continue;
      try {
        entry.next(entry.shownAt, []);
        entry.next(now, entry.diagnostics);
      } catch {
        // A stopped server's client (its diagnostics are gone with it): the running one publishes anew.
        this.published.delete(key);
        continue;
      }
      entry.shownAt = now;
      if (entry.diagnostics.length === 0 && now === entry.uri) this.published.delete(key);
    }
  }
}
