// The extension: commands, the status item and the server's lifecycle. All language and run logic
// lives in the server (server/out/cli.js), which this starts over stdio.
import * as vscode from 'vscode';
import { createConfig, openConfig } from './commands/config-commands';
import { ServerController } from './server-controller';
import { RESTART_SETTINGS } from './settings';
import { ServerStatusItem } from './status';
import { WitnessActions } from './witness-actions';

let controller: ServerController | undefined;

/** What the extension exposes to other extensions and to its integration tests. */
export interface ElectrictownApi {
  readonly server: ServerController;
}

export async function activate(context: vscode.ExtensionContext): Promise<ElectrictownApi> {
  const output = vscode.window.createOutputChannel('Electrictown', { log: true });
  const status = new ServerStatusItem();
  const server = new ServerController(context, output, status);
  controller = server;
  context.subscriptions.push(
    output,
    status,
    server,
    vscode.commands.registerCommand('electrictown.restartServer', () => server.restart()),
    vscode.commands.registerCommand('electrictown.showOutput', () => output.show()),
    vscode.commands.registerCommand('electrictown.openConfig', openConfig),
    vscode.commands.registerCommand('electrictown.createConfig', createConfig),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new WitnessActions(() => server.languageClient), WitnessActions.metadata),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!RESTART_SETTINGS.some((key) => event.affectsConfiguration(key))) return;
      const choice = await vscode.window.showInformationMessage('Electrictown: restart the server to apply the new settings?', 'Restart');
      if (choice === 'Restart') await server.restart();
    }),
  );
  await server.start();
  return { server };
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
}
