// Follows an Undo (and a Redo) of a hunk accepted from the diff while the rest of its file still waits:
// the file back as it was before the hunk means the hunk is out again, so the proposal is once more made
// from that text (its base), the hunk counts drop, and further hunks can be accepted — without this, the
// file would look changed since it was proposed. The undone file is saved, so the disk agrees.
import * as vscode from 'vscode';
import { sha256, textNow } from './accept-changes';
import type { ChangesModel } from './changes-model';
import { acceptedState } from './undo-check';

/** One hunk accepted into a file: its text before and after, and the proposal's base before it. */
interface AcceptedHunk {
  runId: string;
  path: string;
  uri: vscode.Uri;
  before: string;
  after: string;
  baseBefore: string | null | undefined;
}

/** Hunks remembered per file: an Undo further back than this is not followed. */
const TRACKED_HUNKS = 20;
const SETTLE_MS = 100;
const encoder = new TextEncoder();

export class AcceptedHunks implements vscode.Disposable {
  /** Per file (URI): the hunks in, oldest first, and those undone (most recent last), for a Redo. */
  private readonly files = new Map<string, { accepted: AcceptedHunk[]; undone: AcceptedHunk[] }>();
  private readonly touched = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly changes: ChangesModel) {
    this.subscription = vscode.workspace.onDidChangeTextDocument((event) => {
      const undoOrRedo = event.reason === vscode.TextDocumentChangeReason.Undo || event.reason === vscode.TextDocumentChangeReason.Redo;
      if (!undoOrRedo || !this.files.has(event.document.uri.toString())) return;
      this.touched.add(event.document.uri.toString());
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.check(), SETTLE_MS);
    });
  }

  /** A hunk went into the file (and the model already counts it). */
  track(hunk: AcceptedHunk): void {
    const key = hunk.uri.toString();
    const file = this.files.get(key) ?? { accepted: [], undone: [] };
    file.accepted = [...file.accepted, hunk].slice(-TRACKED_HUNKS);
    file.undone = [];
    this.files.set(key, file);
  }

  private async check(): Promise<void> {
    const keys = [...this.touched];
    this.touched.clear();
    for (const key of keys) {
      const file = this.files.get(key);
      const last = file?.accepted.at(-1) ?? file?.undone.at(-1);
      if (!file || !last) continue;
      const now = await textNow(last.uri);
      const pending = (hunk: AcceptedHunk) => this.changes.pendingEntries().some((entry) => entry.runId === hunk.runId && entry.file.path === hunk.path);
      const newest = file.accepted.at(-1);
      const redo = file.undone.at(-1);
      if (newest && pending(newest) && acceptedState(now, newest.before, newest.after) === 'undone') {
        file.accepted.pop();
        file.undone.push(newest);
        this.changes.undoHunk(newest.runId, newest.path, newest.baseBefore);
      } else if (redo && pending(redo) && acceptedState(now, redo.before, redo.after) === 'accepted') {
        file.undone.pop();
        file.accepted.push(redo);
        this.changes.decideHunk(redo.runId, redo.path, 'accepted', await sha256(encoder.encode(redo.after)));
      } else continue;
      // The hunk's accept saved the file; its undo (and redo) is saved too, so the disk holds what the editor shows.
      await saveFollowed(key);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
  }
}

/**
 * Saves the followed file. VS Code 1.100 can count a redo back to a text it saved before as clean while
 * the disk holds the undone text it saved since (seen in the in-editor tests): then the disk is written
 * to agree with what the editor shows.
 */
async function saveFollowed(key: string): Promise<void> {
  const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === key);
  if (!document) return;
  if (document.isDirty) {
    await document.save();
    return;
  }
  const disk = await Promise.resolve(vscode.workspace.fs.readFile(document.uri)).then((bytes) => new TextDecoder().decode(bytes), () => undefined);
  if (disk !== undefined && disk !== document.getText()) await vscode.workspace.fs.writeFile(document.uri, encoder.encode(document.getText()));
}
