// The three-way situation of a file changed after a run proposed its version: the proposal's diff shows
// the file now against the proposal, so the change made since shows as hunks too. "Compare with What the
// Run Read", in that diff's title bar, shows the other side: the file as the run read it (kept in the
// run folder's `base/`) against the file now — what changed since.
import * as vscode from 'vscode';
import { uriExists } from '../uri-exists';
import { targetNow } from './accept-changes';
import type { ChangesModel } from './changes-model';
import { EMPTY_SCHEME } from './changes-tree';
import { changedSinceProposed, type PendingEntry } from './proposal-checks';
import { proposalUri, sameUri } from './proposal-uris';

/** Context key: the active diff is a proposal's whose file changed since the run read it. */
export const CHANGED_SINCE_KEY = 'electrictown.proposalChangedSince';
export const COMPARE_WITH_BASE_COMMAND = 'electrictown.diff.compareWithBase';

/** The title of the comparison: the file, and the run whose reading it is. Pure. */
export function baseComparisonTitle(path: string, runId: string): string {
  return `${path} — as run ${runId} read it ↔ now`;
}

export class BaseComparison implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly changes: ChangesModel) {
    this.subscriptions = [
      vscode.window.tabGroups.onDidChangeTabs(() => void this.updateKey()),
      vscode.window.onDidChangeActiveTextEditor(() => void this.updateKey()),
      vscode.commands.registerCommand(COMPARE_WITH_BASE_COMMAND, (uri?: unknown) => this.compare(uri)),
    ];
    void this.updateKey();
  }

  /** The pending proposal shown in the active diff (or named by the title bar's resource). */
  private entryOf(uri: unknown): PendingEntry | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const shown = uri instanceof vscode.Uri ? uri : input instanceof vscode.TabInputTextDiff ? input.modified : undefined;
    return shown ? this.changes.pendingEntries().find((entry) => sameUri(proposalUri(entry.runId, entry.file), shown)) : undefined;
  }

  private async updateKey(): Promise<void> {
    const entry = this.entryOf(undefined);
    const changed = entry !== undefined && entry.file.base !== undefined && changedSinceProposed(entry.file, await targetNow(vscode.Uri.file(entry.file.target)));
    await vscode.commands.executeCommand('setContext', CHANGED_SINCE_KEY, changed);
  }

  /** Opens the file as the run read it against the file now; answers the diff's title. */
  async compare(uri?: unknown): Promise<string | undefined> {
    const entry = this.entryOf(uri);
    if (!entry) {
      void vscode.window.showInformationMessage('Electrictown: open a pending proposal\'s diff (from Changes) to compare it with what its run read.');
      return undefined;
    }
    const base = entry.file.base === undefined ? undefined : vscode.Uri.file(entry.file.base);
    if (!base || !(await uriExists(base))) {
      void vscode.window.showInformationMessage(`Electrictown: run ${entry.runId} did not keep ${entry.file.path} as it read it (a new file, or a run from before runs kept it).`);
      return undefined;
    }
    const title = baseComparisonTitle(entry.file.path, entry.runId);
    const target = vscode.Uri.file(entry.file.target);
    // A file deleted since: the comparison is against nothing.
    const now = (await uriExists(target)) ? target : vscode.Uri.from({ scheme: EMPTY_SCHEME, path: `/${entry.file.path}` });
    await vscode.commands.executeCommand('vscode.diff', base, now, title, { preview: true });
    return title;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
