// "Ask refinery to fix" on the witness's findings. They are diagnostics on generated files, which the
// language client does not sync (it watches config files only), so the editor would never ask the server
// for their code actions: this provider offers the quick fix on any file and runs the server's command.
import * as vscode from 'vscode';
import type { ServerConnection } from './connection/server-connection';
import { ASK_REFINERY_COMMAND, WITNESS_SOURCE } from '../../server/src/protocol-names';

export class WitnessActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly client: () => ServerConnection | undefined) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const client = this.client();
    if (!client) return [];
    return context.diagnostics
      .filter((diagnostic) => diagnostic.source === WITNESS_SOURCE)
      .map((diagnostic) => {
        const action = new vscode.CodeAction(`Ask refinery to fix: ${diagnostic.message}`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        // The command is the server's (the client registers it). It gets the diagnostic in LSP's form and
        // the text as the editor has it: the server does not sync generated files.
        action.command = { title: 'Ask refinery to fix', command: ASK_REFINERY_COMMAND, arguments: [{ uri: document.uri.toString(), diagnostic: client.toProtocolDiagnostic(diagnostic), text: document.getText(), version: document.version }] };
        return action;
      });
  }
}
