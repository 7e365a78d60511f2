// Watches the files of recent accepts for an Undo (and a Redo): when an accepted file is back as it was,
// its accept was undone, and its run's files go back to Changes for review; when a Redo puts it in
// again, it is accepted again. VS Code says which text changes are an Undo or a Redo; a created file's
// undo deletes it. An undone file that was saved on accept is saved again as it was, so the disk agrees.
import * as vscode from 'vscode';
import type { AcceptedFile } from './accept-changes';
import { textNow } from './accept-changes';
import type { PendingEntry } from './proposal-checks';
import { acceptedState } from './undo-check';

/** Accepts remembered: an Undo further back than this is not followed. */
const TRACKED_DECISIONS = 20;
/** One Undo changes every file of a decision; they are looked at together once the events settle. */
const SETTLE_MS = 100;

interface Tracked {
  files: AcceptedFile[];
  /** Files seen undone, by URI. */
  undone: Set<string>;
}

export class AcceptedEdits implements vscode.Disposable {
  private readonly decisions: Tracked[] = [];
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private readonly dirty = new Set<Tracked>();

  constructor(
    private readonly onUndone: (entries: PendingEntry[]) => void,
    private readonly onRedone: (entries: PendingEntry[]) => void,
  ) {
    const touched = (uris: readonly vscode.Uri[]) => {
      const names = new Set(uris.map((uri) => uri.toString()));
      for (const decision of this.decisions) if (decision.files.some((file) => names.has(file.uri.toString()))) this.dirty.add(decision);
      if (this.dirty.size > 0) this.schedule();
    };
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.reason === vscode.TextDocumentChangeReason.Undo || event.reason === vscode.TextDocumentChangeReason.Redo) touched([event.document.uri]);
      }),
      vscode.workspace.onDidDeleteFiles((event) => touched(event.files)),
      vscode.workspace.onDidCreateFiles((event) => touched(event.files)),
    ];
  }

  /** An accept that went in: its files are followed from now on. */
  track(files: readonly AcceptedFile[]): void {
    const changed = files.filter((file) => file.before === undefined || file.before !== file.after);
    if (changed.length === 0) return;
    this.decisions.push({ files: [...changed], undone: new Set() });
    if (this.decisions.length > TRACKED_DECISIONS) this.decisions.shift();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), SETTLE_MS);
  }

  private async check(): Promise<void> {
    const decisions = [...this.dirty];
    this.dirty.clear();
    for (const decision of decisions) {
      const undone: PendingEntry[] = [];
      const redone: PendingEntry[] = [];
      for (const file of decision.files) {
        const key = file.uri.toString();
        const state = acceptedState(await textNow(file.uri), file.before, file.after);
        if (state === 'undone' && !decision.undone.has(key)) {
          decision.undone.add(key);
          undone.push(...file.entries);
        } else if (state === 'accepted' && decision.undone.has(key)) {
          decision.undone.delete(key);
          redone.push(...file.entries);
        } else continue;
        // The accept saved the file; its undo (and redo) is saved too, so the disk holds what the editor shows.
        await vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === key && candidate.isDirty)?.save();
      }
      if (undone.length > 0) this.onUndone(undone);
      if (redone.length > 0) this.onRedone(redone);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
