// Run Task's pre-flight: before the task is asked for, the server checks the config and each role's
// first provider (cached, parallel, 2 s at most); problems are shown as one message whose buttons fix
// them, or "Run anyway".
import * as vscode from 'vscode';
import type { ServerConnection } from '../connection/server-connection';
import { CREATE_CONFIG, OPEN_CONFIG, preflightMessage, RUN_ANYWAY, SET_API_KEY } from './preflight-message';

/** True when Run Task should go on: nothing to fix, or the user chose "Run anyway". */
export async function passesPreflight(client: ServerConnection, configPath: string | undefined): Promise<boolean> {
  let result;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Electrictown: checking the providers…' }, () => client.preflight({ configPath }));
  } catch {
    // A server without the check (a configured older `et`) or one that failed it: the run itself says what is wrong.
    return true;
  }
  const message = preflightMessage(result);
  if (!message) return true;
  const choice = await vscode.window.showWarningMessage(message.text, ...message.buttons);
  if (choice === RUN_ANYWAY) return true;
  if (choice === CREATE_CONFIG) void vscode.commands.executeCommand('electrictown.createConfig');
  if (choice === SET_API_KEY) void vscode.commands.executeCommand('electrictown.setApiKey', message.variable);
  if (choice === OPEN_CONFIG) void vscode.commands.executeCommand('electrictown.openConfig');
  return false;
}
