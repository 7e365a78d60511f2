// Review inside the diff editor: Accept / Discard the file, Accept / Discard the hunk at the cursor, and
// the next / previous pending file, from the diff's title bar and keys. An accepted hunk goes into the
// project file as an edit (undoable, and kept in the run's checkpoint first); a discarded hunk is taken
// out of the proposal. Once every hunk is decided the file is: accepted (partly, if some were
// discarded) or discarded. A diff closes once its file is decided, however that was done.
import * as vscode from 'vscode';
import { uriExists } from '../uri-exists';
import { sha256, textNow } from './accept-changes';
import type { ChangesModel } from './changes-model';
import { showDiff } from './changes-tree';
import { changedSinceProposed, type PendingEntry } from './proposal-checks';
import { AcceptedHunks } from './accepted-hunks';
import { acceptHunk, hunkAt, hunksBetween, type Hunk } from './hunks';
import { proposalUri, sameUri } from './proposal-uris';
import type { ReviewDecisions } from './review-decisions';

/** Context key: the paths of pending proposals' URIs (proposal-uris.ts); the diff's title actions and keys show on them. */
export const PROPOSED_FILES_KEY = 'electrictown.proposedFiles';

const encoder = new TextEncoder();
/** Line endings as `\n`: a file and its proposal may differ in them, and an edit takes the document's anyway. */
const lf = (text: string) => text.replace(/\r\n/g, '\n');
/** The hunks between the file's and the proposal's texts, line endings aside. */
const hunksOf = (current: string, proposed: string) => hunksBetween(lf(current), lf(proposed));
const proposalOf = (entry: PendingEntry) => proposalUri(entry.runId, entry.file);

/** Lines [start, end) of a document as a range (to its end when `end` is past the last line break). */
function linesRange(document: vscode.TextDocument, start: number, end: number): vscode.Range {
  const last = document.lineAt(document.lineCount - 1).range.end;
  const at = (line: number) => (line < document.lineCount ? new vscode.Position(line, 0) : last);
  return new vscode.Range(at(start), at(end));
}

/** The tabs showing a diff of the proposal. */
const diffTabs = (proposal: string) => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposal);

export class DiffReview implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  /** Hunks accepted here, followed for an Undo while their file still waits. */
  private readonly acceptedHunks: AcceptedHunks;
  /** Proposal URIs pending at the last look: one no longer pending was decided, and its diff closes. */
  private pendingProposals = new Set<string>();

  constructor(
    private readonly changes: ChangesModel,
    private readonly decisions: ReviewDecisions,
  ) {
    this.acceptedHunks = new AcceptedHunks(changes);
    this.subscriptions = [
      this.acceptedHunks,
      changes.onDidChange(() => void this.followDecisions()),
      vscode.commands.registerCommand('electrictown.diff.accept', (uri?: vscode.Uri) => this.acceptFile(uri)),
      vscode.commands.registerCommand('electrictown.diff.discard', (uri?: vscode.Uri) => this.discardFile(uri)),
      vscode.commands.registerCommand('electrictown.diff.acceptHunk', (uri?: vscode.Uri) => this.decideHunk('accepted', uri)),
      vscode.commands.registerCommand('electrictown.diff.discardHunk', (uri?: vscode.Uri) => this.decideHunk('discarded', uri)),
      vscode.commands.registerCommand('electrictown.diff.nextFile', (uri?: vscode.Uri) => this.step(1, uri)),
      vscode.commands.registerCommand('electrictown.diff.previousFile', (uri?: vscode.Uri) => this.step(-1, uri)),
    ];
    void this.followDecisions();
  }

  /** The pending proposal the command is about: the title bar's resource, else the active diff or editor. */
  private entryOf(uri: unknown): PendingEntry | undefined {
    const entries = this.changes.pendingEntries();
    const byProposal = (candidate: vscode.Uri | undefined) => entries.find((entry) => sameUri(proposalOf(entry), candidate));
    const given = uri instanceof vscode.Uri ? byProposal(uri) : undefined;
    if (given) return given;
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputTextDiff) return byProposal(input.modified);
    return byProposal(vscode.window.activeTextEditor?.document.uri);
  }

  private nothingOpen(): undefined {
    void vscode.window.showInformationMessage('Electrictown: open a pending proposal\'s diff (from Changes) to review it here.');
    return undefined;
  }

  async acceptFile(uri?: unknown): Promise<boolean | undefined> {
    const entry = this.entryOf(uri) ?? this.nothingOpen();
    if (!entry) return undefined;
    return (await this.decisions.accept([entry], `Electrictown run ${entry.runId}: accept ${entry.file.path}`)).accepted;
  }

  async discardFile(uri?: unknown): Promise<boolean | undefined> {
    const entry = this.entryOf(uri) ?? this.nothingOpen();
    if (!entry) return undefined;
    return this.decisions.discard([entry]);
  }

  /** Where the cursor is: on the proposal (right) or the project file (left) side of the entry's diff. */
  private cursor(entry: PendingEntry): { side: 'current' | 'proposed'; line: number } {
    const proposal = proposalOf(entry);
    const target = vscode.Uri.file(entry.file.target);
    for (const editor of [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors]) {
      if (sameUri(editor?.document.uri, proposal)) return { side: 'proposed', line: editor?.selection.active.line ?? 0 };
      if (editor?.document.uri.scheme === 'file' && editor.document.uri.fsPath === target.fsPath) return { side: 'current', line: editor.selection.active.line };
    }
    return { side: 'proposed', line: 0 };
  }

  /** Accepts or discards the hunk at the cursor; answers what it said. */
  async decideHunk(decision: 'accepted' | 'discarded', uri?: unknown): Promise<string | undefined> {
    const entry = this.entryOf(uri) ?? this.nothingOpen();
    if (!entry) return undefined;
    const target = vscode.Uri.file(entry.file.target);
    // A new file is one hunk: the whole file.
    if (!(await uriExists(target))) return (decision === 'accepted' ? await this.acceptFile(uri ?? proposalOf(entry)) : await this.discardFile(uri ?? proposalOf(entry))) ? `${entry.file.path} ${decision}` : undefined;
    const proposal = await vscode.workspace.openTextDocument(proposalOf(entry));
    const current = (await textNow(target)) ?? '';
    const { side, line } = this.cursor(entry);
    const hunk = hunkAt(hunksOf(current, proposal.getText()), line, side);
    if (!hunk) return this.settleIfDone(entry, current, proposal);
    const said = decision === 'accepted' ? await this.acceptHunk(entry, target, current, hunk) : await this.discardHunk(entry, proposal, hunk);
    if (said === undefined) return undefined;
    return (await this.settleIfDone(entry, (await textNow(target)) ?? '', proposal)) ?? this.note(said);
  }

  private async acceptHunk(entry: PendingEntry, target: vscode.Uri, current: string, hunk: Hunk): Promise<string | undefined> {
    // The hunks are against the file as it is; one changed since the proposal would make a hunk that undoes that change.
    if (changedSinceProposed(entry.file, { exists: true, sha256: await sha256(encoder.encode(current)) })) {
      const message = `Electrictown: ${entry.file.path} changed after run ${entry.runId} proposed it, so no hunk was accepted: the diff shows that change as a hunk too. Accept the file (which asks before overwriting) or discard it.`;
      void vscode.window.showWarningMessage(message);
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(target);
    const refused = await this.decisions.keepCheckpoint([{ entries: [entry], before: current, after: acceptHunk(lf(current), hunk) }]);
    if (refused) {
      void vscode.window.showErrorMessage(refused);
      return undefined;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(target, linesRange(document, hunk.currentStart, hunk.currentEnd), hunk.proposedLines.join(''), { label: `Electrictown run ${entry.runId}: accept a hunk of ${entry.file.path}`, needsConfirmation: false });
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Electrictown: the editor refused the hunk's edit of ${entry.file.path}; nothing changed.`);
      return undefined;
    }
    await document.save();
    // The rest of the proposal is now made from the file as this hunk left it.
    this.acceptedHunks.track({ runId: entry.runId, path: entry.file.path, uri: target, before: current, after: document.getText(), baseBefore: entry.file.baseSha256 });
    this.changes.decideHunk(entry.runId, entry.file.path, 'accepted', await sha256(encoder.encode(document.getText())));
    return `accepted the hunk at line ${hunk.currentStart + 1} of ${entry.file.path}`;
  }

  private async discardHunk(entry: PendingEntry, proposal: vscode.TextDocument, hunk: Hunk): Promise<string | undefined> {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(proposal.uri, linesRange(proposal, hunk.proposedStart, hunk.proposedEnd), hunk.currentLines.join(''), { label: `Electrictown run ${entry.runId}: discard a hunk of ${entry.file.path}`, needsConfirmation: false });
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Electrictown: the editor refused to take the hunk out of the proposal of ${entry.file.path}; nothing changed.`);
      return undefined;
    }
    await proposal.save();
    this.changes.decideHunk(entry.runId, entry.file.path, 'discarded');
    return `discarded the hunk at line ${hunk.proposedStart + 1} of ${entry.file.path}'s proposal`;
  }

  /** Every hunk decided (the proposal is the file): the file is decided, and says how. */
  private settleIfDone(entry: PendingEntry, current: string, proposal: vscode.TextDocument): string | undefined {
    if (hunksOf(current, proposal.getText()).length > 0) return undefined;
    const hunks = this.changes.hunksOf(entry.runId, entry.file.path) ?? { accepted: 0, discarded: 0 };
    this.decisions.settleHunks(entry);
    const how = hunks.accepted === 0 ? 'discarded (every hunk was)' : hunks.discarded === 0 ? 'accepted (every hunk was)' : `accepted in part (${hunks.accepted} hunk${hunks.accepted === 1 ? '' : 's'} in, ${hunks.discarded} discarded)`;
    const message = `Electrictown: ${entry.file.path} of run ${entry.runId} is ${how}.`;
    void vscode.window.showInformationMessage(message);
    return message;
  }

  private note(said: string): string {
    vscode.window.setStatusBarMessage(`Electrictown: ${said}`, 5000);
    return said;
  }

  /** Opens the next (or previous) pending file's diff, in the Changes view's order. */
  async step(direction: 1 | -1, uri?: unknown): Promise<string | undefined> {
    const entries = this.changes.pendingEntries();
    if (entries.length === 0) {
      void vscode.window.showInformationMessage('Electrictown: no changes are waiting for review.');
      return undefined;
    }
    const current = this.entryOf(uri);
    const index = current ? entries.findIndex((entry) => entry.runId === current.runId && entry.file.path === current.file.path) : -1;
    if (index >= 0 && entries.length === 1) {
      void vscode.window.showInformationMessage(`Electrictown: ${current?.file.path} is the only file waiting for review.`);
      return undefined;
    }
    const next = entries[index < 0 ? (direction === 1 ? 0 : entries.length - 1) : (index + direction + entries.length) % entries.length];
    await showDiff(next.runId, next.file, next.task);
    return next.file.path;
  }

  /** Keeps the context key up to date, and closes the diffs of files decided since the last look. */
  private async followDecisions(): Promise<void> {
    const proposals = this.changes.pendingEntries().map(proposalOf);
    const pending = new Set(proposals.map((proposal) => proposal.toString()));
    const decided = [...this.pendingProposals].filter((proposal) => !pending.has(proposal));
    this.pendingProposals = pending;
    // `resourcePath` of a proposal is its URI's path (the file's workspace path); the menus also ask for the scheme.
    await vscode.commands.executeCommand('setContext', PROPOSED_FILES_KEY, [...new Set(proposals.map((proposal) => proposal.path))]);
    for (const proposal of decided) {
      const tabs = diffTabs(proposal);
      if (tabs.length === 0) continue;
      // A proposal edited and not saved would make closing ask; what was decided was its saved text.
      await vscode.workspace.textDocuments.find((document) => document.uri.toString() === proposal && document.isDirty)?.save();
      await vscode.window.tabGroups.close(tabs);
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
