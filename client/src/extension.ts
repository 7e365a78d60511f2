// The extension: commands, the sidebar (Runs, Changes, Costs), the status item and the server's
// lifecycle. All language and run logic lives in the server (server/out/cli.js), started over stdio;
// activation only wires things up and starts it in the background.
import * as vscode from 'vscode';
import { registerRunTool, RunTool } from './lm-tool';
import { mcpServerCommand, registerMcpServer } from './mcp-registration';
import { ChangesModel } from './changes/changes-model';
import { ChangesTree, EMPTY_SCHEME, EmptyDocumentProvider } from './changes/changes-tree';
import { BaseComparison } from './changes/compare-base';
import { restoreCheckpoint } from './changes/checkpoints';
import { DiffReview } from './changes/diff-review';
import { ProposalMiddleware } from './changes/proposal-middleware';
import { PROPOSAL_SCHEME } from './changes/proposal-address';
import { ProposalFileSystem, proposalOfStaged, proposalUri, stagedOfProposal } from './changes/proposal-uris';
import { ReviewDecisions } from './changes/review-decisions';
import { createConfig, openConfig } from './commands/config-commands';
import { registerRunCommands } from './commands/run-commands';
import type { CostsSnapshot } from './costs/costs-model';
import { CostsFeed } from './costs/costs-feed';
import { CostsView } from './costs/costs-view';
import { RunController } from './runs/run-controller';
import { RunInputs } from './runs/run-options';
import { RunsModel } from './runs/runs-model';
import { OPEN_RUN_VIEW_COMMAND, RunsTree, type RunsNode } from './runs/runs-tree';
import { TranscriptPanels } from './runs/transcript-panel';
import { ApiKeys, setApiKey } from './secrets';
import { ServerController } from './server-controller';
import { configPathUri, readSettings, RESTART_SETTINGS } from './settings';
import { ServerStatusItem } from './status';
import { FIX_WITH_REFINERY_COMMAND, fixWithRefinery, WitnessActions, type FixArgument } from './witness-actions';

let controller: ServerController | undefined;

/** What the extension exposes to other extensions and to its integration tests. */
export interface ElectrictownApi {
  readonly server: ServerController;
  readonly runs: RunsModel;
  readonly changes: ChangesModel;
  readonly status: ServerStatusItem;
  readonly runsTree: RunsTree;
  /** The run views (one editor tab per run). */
  readonly transcripts: TranscriptPanels;
  readonly apiKeys: ApiKeys;
  /** The Costs view's data, read again. */
  costs(): Promise<CostsSnapshot | undefined>;
  /** The Costs view's data as shown now (the last read, with the calls landed since). */
  costsNow(): CostsSnapshot | undefined;
  /** How VS Code's agents start `et mcp` for this workspace (the MCP server definition's command). */
  mcpServer(): ReturnType<typeof mcpServerCommand>;
  /** Whether this VS Code took the MCP server definition provider. */
  readonly mcpRegistered: boolean;
  /** Whether this VS Code took the language model tool "Run an electrictown team" (`electrictown_run`). */
  readonly runToolRegistered: boolean;
  /** What the tool asks the user before a run with this input (VS Code's dialog for it is skipped in extension tests). */
  prepareRunTool(input: unknown): Promise<vscode.PreparedToolInvocation>;
  /** Where a run's proposal of a file (by its path in the run) is shown: the diff's right side. */
  proposalUri(runId: string, path: string): vscode.Uri | undefined;
}

export function activate(context: vscode.ExtensionContext): ElectrictownApi {
  const output = vscode.window.createOutputChannel('Electrictown', { log: true });
  const status = new ServerStatusItem();
  const keys = new ApiKeys(context.secrets, context.globalState);
  const changes = new ChangesModel(context.workspaceState);
  // Pending proposals show at their own URIs; the server names them by their staged files.
  const proposals = new ProposalMiddleware((uri) => proposalOfStaged(changes, uri));
  const server = new ServerController(context, output, status, () => keys.environment(), proposals.middleware);
  const mcp = registerMcpServer(context, () => keys.environment(), (message) => output.info(message));
  controller = server;
  const configPath = () => readSettings().configPath || undefined;
  const runs = new RunsModel(configPath);
  const runsTree = new RunsTree(runs);
  const transcripts = new TranscriptPanels(context.extensionUri, () => server.connection, configPath, runs.onDidApplyEvents);
  const decisions = new ReviewDecisions(changes, () => server.connection, configPath, output);
  const inputs = new RunInputs(context.workspaceState);
  const runController = new RunController(() => server.connection, runs, changes, decisions, inputs, configPath);
  const tool = new RunTool({ controller: runController, client: () => server.connection, changes, choices: () => inputs.choices(), configPath, serverReady: () => server.start() });
  const runTool = registerRunTool(tool, (message) => output.info(message));

  const costsView = new CostsView(context.extensionUri, () => refreshCosts().then(() => undefined));
  // The spend in the status bar and the Costs view: from the ledger, and the calls of running runs as they land.
  const costs = new CostsFeed(() => server.connection, configPath, runs, status, costsView);
  const refreshCosts = (): Promise<CostsSnapshot | undefined> => costs.refresh();

  context.subscriptions.push(
    output,
    status,
    server,
    mcp.disposable,
    runTool.disposable,
    runs,
    changes,
    decisions,
    new DiffReview(changes, decisions),
    new BaseComparison(changes),
    costs,
    runsTree,
    transcripts,
    vscode.window.createTreeView('electrictown.runs', { treeDataProvider: runsTree, showCollapseAll: true }),
    vscode.window.createTreeView('electrictown.changes', { treeDataProvider: new ChangesTree(changes) }),
    vscode.window.registerWebviewViewProvider(CostsView.id, costsView),
    vscode.workspace.registerTextDocumentContentProvider(EMPTY_SCHEME, new EmptyDocumentProvider()),
    vscode.workspace.registerFileSystemProvider(PROPOSAL_SCHEME, new ProposalFileSystem(changes), { isCaseSensitive: true }),
    changes.onDidChange(() => proposals.remap()),
    server.onDidChangeClient((client) => {
      runs.attach(client);
      transcripts.serverChanged(client);
      if (!client) return;
      void refreshCosts();
      decisions.sync();
    }),
    changes.onDidChange(() => void vscode.commands.executeCommand('setContext', 'electrictown.pendingChanges', changes.pending().length > 0)),
    ...registerRunCommands({ client: () => server.connection, runs, changes, controller: runController, decisions, configPath, refreshCosts: () => refreshCosts().then(() => undefined) }),
    vscode.commands.registerCommand(OPEN_RUN_VIEW_COMMAND, (target: { runId: string; title?: string; subtask?: number } | RunsNode) => {
      // From a click (the item's arguments) or a menu (the node itself).
      if ('runId' in target) return transcripts.open(target.runId, target.title ?? target.runId, target.subtask);
      if (target.kind === 'run') return transcripts.open(target.id, target.task, undefined);
      if (target.kind === 'subtask') return transcripts.open(target.run.id, target.run.task, target.subtask.index);
    }),
    vscode.commands.registerCommand('electrictown.restartServer', () => server.restart()),
    vscode.commands.registerCommand('electrictown.restoreCheckpoint', (runId?: unknown) => restoreCheckpoint(server.connection, configPath(), typeof runId === 'string' ? runId : undefined)),
    vscode.commands.registerCommand('electrictown.showOutput', () => output.show()),
    vscode.commands.registerCommand('electrictown.openConfig', openConfig),
    vscode.commands.registerCommand('electrictown.createConfig', createConfig),
    vscode.commands.registerCommand('electrictown.setApiKey', (name?: unknown) =>
      setApiKey(keys, configText, async () => {
        const running = runs.running().length;
        if (running === 0) return server.restart();
        const choice = await vscode.window.showInformationMessage(`Electrictown: the key applies when the server restarts, which cancels the ${running} running run${running === 1 ? '' : 's'}.`, 'Restart Now', 'Later');
        return choice === 'Restart Now' ? server.restart() : undefined;
      }, typeof name === 'string' ? name : undefined),
    ),
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: PROPOSAL_SCHEME }], new WitnessActions(() => server.connection, (uri) => stagedOfProposal(changes, uri)), WitnessActions.metadata),
    vscode.commands.registerCommand(FIX_WITH_REFINERY_COMMAND, (argument: FixArgument) => fixWithRefinery(server.connection, argument, (uri) => uri.scheme === PROPOSAL_SCHEME)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!RESTART_SETTINGS.some((key) => event.affectsConfiguration(key))) return;
      const choice = await vscode.window.showInformationMessage('Electrictown: restart the server to apply the new settings?', 'Restart');
      if (choice === 'Restart') await server.restart();
    }),
  );
  void vscode.commands.executeCommand('setContext', 'electrictown.pendingChanges', changes.pending().length > 0);
  // In the background: the editor does not wait for the server to be up.
  void server.start();
  return { server, runs, changes, status, runsTree, transcripts, apiKeys: keys, costs: refreshCosts, costsNow: () => costs.current, mcpServer: () => mcpServerCommand(context), mcpRegistered: mcp.registered, runToolRegistered: runTool.registered, prepareRunTool: (input) => tool.prepareInvocation({ input }),
    proposalUri: (runId, path) => {
      const file = changes.get(runId)?.files.find((candidate) => candidate.path === path);
      return file ? proposalUri(runId, file) : undefined;
    },
  };
}

/** The config's text, for the names of the keys it reads. */
async function configText(): Promise<string | undefined> {
  const uri = configPathUri(readSettings()) ?? (await vscode.workspace.findFiles('**/electrictown.{yaml,yml}', '**/node_modules/**', 1))[0];
  if (!uri) return undefined;
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
}
