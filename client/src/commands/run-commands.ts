// The commands about runs, changes, costs, models and reviews. Each one that needs the server says so
// when it is not running; each one says why when there is nothing to act on.
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProposedFile } from '../../../server/src/protocol';
import type { ChangesModel } from '../changes/changes-model';
import type { PendingEntry } from '../changes/proposal-checks';
import type { ReviewDecisions } from '../changes/review-decisions';
import type { ServerConnection } from '../connection/server-connection';
import { showDiff, type ChangesNode } from '../changes/changes-tree';
import type { RunController, RunTaskArguments } from '../runs/run-controller';
import type { RunsModel } from '../runs/runs-model';
import type { RunsNode } from '../runs/runs-tree';

export interface CommandDeps {
  client(): ServerConnection | undefined;
  runs: RunsModel;
  changes: ChangesModel;
  controller: RunController;
  decisions: ReviewDecisions;
  configPath(): string | undefined;
  refreshCosts(): Promise<void>;
}

/** A run id from a tree item, a string argument, or nothing. */
const runIdOf = (argument: unknown): string | undefined => (typeof argument === 'string' ? argument : (argument as RunsNode | undefined)?.kind === 'run' ? (argument as Extract<RunsNode, { kind: 'run' }>).id : undefined);

function notRunning(): undefined {
  void vscode.window.showWarningMessage('Electrictown: the server is not running.', 'Restart Server').then((choice) => choice && vscode.commands.executeCommand('electrictown.restartServer'));
  return undefined;
}

export function registerRunCommands(deps: CommandDeps): vscode.Disposable[] {
  const { runs, changes, controller, decisions } = deps;

  /** Accepting or discarding is one decision: one edit, one message saying exactly what happened. */
  const decide = async (entries: readonly PendingEntry[], accept: boolean, label: string): Promise<boolean> => {
    if (entries.length === 0) {
      // A notification's button can outlive what it was about (decided since, or undone and decided again).
      void vscode.window.showInformationMessage('Electrictown: nothing of that is waiting for review any more.');
      return false;
    }
    return accept ? (await decisions.accept(entries, label)).accepted : decisions.discard(entries);
  };
  const entriesOf = (runId: string) => changes.pendingEntries().filter((entry) => entry.runId === runId);
  const entryOf = (runId: string, file: ProposedFile) => changes.pendingEntries().filter((entry) => entry.runId === runId && entry.file.path === file.path);
  const setOf = (argument: unknown): string | undefined => (typeof argument === 'string' ? argument : (argument as ChangesNode | undefined)?.kind === 'set' ? (argument as Extract<ChangesNode, { kind: 'set' }>).set.runId : changes.pending()[0]?.runId);

  return [
    vscode.commands.registerCommand('electrictown.runTask', (given?: RunTaskArguments) => controller.runTask(typeof given?.task === 'string' ? given : undefined)),
    vscode.commands.registerCommand('electrictown.runTaskOnSelection', (given?: RunTaskArguments) => controller.runTask(typeof given?.task === 'string' ? given : undefined, true)),
    vscode.commands.registerCommand('electrictown.cancelRun', (argument?: unknown) => controller.cancel(runIdOf(argument))),
    vscode.commands.registerCommand('electrictown.resumeRun', (argument?: unknown) => controller.resume(runIdOf(argument))),
    vscode.commands.registerCommand('electrictown.continueRun', (argument?: unknown, refinement?: unknown) => controller.continueRun(runIdOf(argument), typeof refinement === 'string' ? refinement : undefined)),
    vscode.commands.registerCommand('electrictown.runs.refresh', () => runs.refresh()),
    vscode.commands.registerCommand('electrictown.openRunFolder', async (argument?: unknown) => {
      const id = runIdOf(argument) ?? (await controller.pick('Open the folder of which run?', () => true, 'There are no runs yet.'));
      const view = id ? await runs.view(id) : undefined;
      if (!view) return;
      await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(path.join(view.folder, 'run.json')));
    }),
    vscode.commands.registerCommand('electrictown.showCosts', async () => {
      await vscode.commands.executeCommand('electrictown.costs.focus');
      await deps.refreshCosts();
    }),
    vscode.commands.registerCommand('electrictown.showModels', async () => {
      const client = deps.client() ?? notRunning();
      if (!client) return;
      const providers = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Electrictown: asking each provider for its models…' }, () => client.models({ configPath: deps.configPath() }));
      const items: vscode.QuickPickItem[] = providers.flatMap((provider): vscode.QuickPickItem[] => [
        { label: `${provider.provider} (${provider.type})`, kind: vscode.QuickPickItemKind.Separator },
        ...('error' in provider ? [{ label: `$(error) ${provider.error.class}`, detail: provider.error.message }] : provider.models.map((model) => ({ label: `${provider.provider}/${model}`, description: 'Enter copies it' }))),
      ]);
      const picked = await vscode.window.showQuickPick(items, { title: 'Electrictown: models', placeHolder: 'Every provider in the config, with its models or its error', matchOnDetail: true });
      if (picked && !picked.label.startsWith('$(error)')) {
        await vscode.env.clipboard.writeText(picked.label);
        void vscode.window.showInformationMessage(`Electrictown: copied ${picked.label}.`);
      }
    }),
    vscode.commands.registerCommand('electrictown.reviewFile', async (uri?: vscode.Uri) => {
      const client = deps.client() ?? notRunning();
      if (!client) return;
      const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!document || document.uri.scheme !== 'file') {
        void vscode.window.showInformationMessage('Electrictown: open a file (saved on disk) to review it with the witness.');
        return;
      }
      const name = vscode.workspace.asRelativePath(document.uri);
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Electrictown: the witness is reviewing ${name}…` }, () => client.reviewFile({ uri: document.uri.toString(), text: document.getText() }));
      const score = result.score === null ? 'no score' : `${result.score}/10`;
      // Not awaited: the command is done when the findings are in Problems, not when the note is closed.
      void vscode.window.showInformationMessage(`Electrictown: ${name}: ${score} from ${result.model}${result.reason ? ` — ${result.reason}` : ''}. ${result.findings} finding${result.findings === 1 ? '' : 's'} in Problems.`, ...(result.findings > 0 ? ['Show Problems'] : [])).then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return result;
    }),
    vscode.commands.registerCommand('electrictown.changes.diff', (node: ChangesNode | { runId: string; file: ProposedFile }) => ('file' in node ? showDiff(node.runId, node.file, changes.get(node.runId)?.task) : undefined)),
    vscode.commands.registerCommand('electrictown.changes.accept', (node?: ChangesNode) => (node?.kind === 'file' ? decide(entryOf(node.runId, node.file), true, `Electrictown run ${node.runId}: accept ${node.file.path}`) : undefined)),
    vscode.commands.registerCommand('electrictown.changes.discard', (node?: ChangesNode) => (node?.kind === 'file' ? decide(entryOf(node.runId, node.file), false, '') : undefined)),
    vscode.commands.registerCommand('electrictown.changes.acceptRun', (argument?: unknown) => {
      const runId = setOf(argument);
      return runId ? decide(entriesOf(runId), true, `Electrictown run ${runId}`) : vscode.window.showInformationMessage('Electrictown: no changes are waiting for review.');
    }),
    vscode.commands.registerCommand('electrictown.changes.discardRun', (argument?: unknown) => {
      const runId = setOf(argument);
      return runId ? decide(entriesOf(runId), false, '') : vscode.window.showInformationMessage('Electrictown: no changes are waiting for review.');
    }),
    // Every pending file of every run in one edit: one Undo takes all of them back.
    vscode.commands.registerCommand('electrictown.changes.acceptAll', () => (changes.pending().length === 0 ? vscode.window.showInformationMessage('Electrictown: no changes are waiting for review.') : decide(changes.pendingEntries(), true, 'Electrictown: accept all changes'))),
    vscode.commands.registerCommand('electrictown.changes.discardAll', () => decide(changes.pendingEntries(), false, '')),
  ];
}
