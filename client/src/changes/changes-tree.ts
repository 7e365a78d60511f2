// The Changes view: per run, the files it proposes — new or modified — with a diff against what is in
// the project now, and Accept / Discard per file, per run and for all.
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProposedFile } from '../../../server/src/protocol';
import { uriExists } from '../uri-exists';
import type { ChangeSet, ChangesModel } from './changes-model';
import { targetNow } from './accept-changes';
import { changedSinceProposed, sharedTargets } from './proposal-checks';
import { proposalUri } from './proposal-uris';

export type ChangesNode = { kind: 'set'; set: ChangeSet } | { kind: 'file'; runId: string; file: ProposedFile };

/** An empty document, the left side of a new file's diff. */
export const EMPTY_SCHEME = 'electrictown-empty';

export class EmptyDocumentProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(): string {
    return '';
  }
}

/** The diff's title: the file and the run (by id and task), not the run folder. Pure. */
export function diffTitle(file: Pick<ProposedFile, 'path'>, runId: string, task: string | undefined, exists: boolean, changedSince = false): string {
  const first = (task ?? '').split('\n')[0].trim();
  const named = first.length > 40 ? `${first.slice(0, 39)}…` : first;
  // The left side is the file now: one changed since the proposal shows that change as hunks too.
  return `${file.path} — run ${runId}${named ? ` "${named}"` : ''} (${exists ? 'proposed' : 'new, proposed'}${changedSince ? '; the file changed since' : ''})`;
}

/** The diff of a proposed file: what is there now (or nothing) against the proposal, at its own URI (named by the file's path). */
export async function showDiff(runId: string, file: ProposedFile, task?: string): Promise<void> {
  const target = vscode.Uri.file(file.target);
  const exists = await uriExists(target);
  const left = exists ? target : vscode.Uri.from({ scheme: EMPTY_SCHEME, path: `/${file.path}` });
  const changedSince = changedSinceProposed(file, await targetNow(target));
  await vscode.commands.executeCommand('vscode.diff', left, proposalUri(runId, file), diffTitle(file, runId, task, exists, changedSince), { preview: true });
}

export class ChangesTree implements vscode.TreeDataProvider<ChangesNode> {
  private readonly changed = new vscode.EventEmitter<ChangesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: ChangesModel) {
    model.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: ChangesNode): ChangesNode[] {
    if (!node) return this.model.pending().map((set) => ({ kind: 'set', set }));
    if (node.kind === 'set') return node.set.files.filter((file) => file.state === 'pending').map((file) => ({ kind: 'file', runId: node.set.runId, file }));
    return [];
  }

  getTreeItem(node: ChangesNode): vscode.TreeItem {
    if (node.kind === 'set') {
      const pending = node.set.files.filter((file) => file.state === 'pending').length;
      const item = new vscode.TreeItem(node.set.task.split('\n')[0].slice(0, 70) || node.set.runId, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `changes:${node.set.runId}`;
      item.description = `${pending} file${pending === 1 ? '' : 's'} · run ${node.set.runId}`;
      item.contextValue = 'change-set';
      item.iconPath = new vscode.ThemeIcon('git-pull-request-draft');
      return item;
    }
    const { file } = node;
    const item = new vscode.TreeItem(path.basename(file.path));
    item.id = `changes:${node.runId}:${file.path}`;
    item.resourceUri = vscode.Uri.file(file.target);
    // Another pending run proposes the same file: accepting both asks which goes in (or merges their edits).
    const others = (sharedTargets(this.model.pendingEntries()).get(file.target) ?? []).filter((runId) => runId !== node.runId);
    const also = others.length > 0 ? ` · also in run ${others.join(', ')}` : '';
    // Hunks decided in the diff so far: the rest still waits.
    const hunks = this.model.hunksOf(node.runId, file.path);
    const decided = hunks ? ` · hunks: ${hunks.accepted} in, ${hunks.discarded} discarded` : '';
    item.description = `${path.dirname(file.path) === '.' ? '' : `${path.dirname(file.path)} · `}${file.existed ? 'modified' : 'new'}${file.runsCode ? ' · runs code' : ''}${decided}${also}`;
    item.tooltip = `${file.path}: ${file.existed ? 'replaces the file in the project' : 'a new file'} (subtask ${file.subtask}, ${file.bytes} bytes)${file.runsCode ? `\nRuns code: ${file.runsCode}. Never applied without your Accept.` : ''}${others.length > 0 ? `\nRun ${others.join(', ')} also proposes this file: accepting both merges edits to different lines, or asks which version goes in.` : ''}`;
    if (file.runsCode) item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    item.contextValue = 'change-file';
    item.command = { title: 'Show Change', command: 'electrictown.changes.diff', arguments: [node] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
