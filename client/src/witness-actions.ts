// "Ask refinery to fix" on the witness's findings. They are diagnostics on generated files and on
// proposals in run folders, which the language client does not sync (it watches config files only), so
// the editor would never ask the server for their code actions: this provider offers the quick fix on
// any file and proposal, and its command runs the server's with a progress notification and says how it
// went — that the refinery changed nothing, too. A fix on a proposal changes the proposal (the server
// names it by its staged file; the middleware puts the edit into the proposal's document), which is
// saved in its run folder (accepting reads it from there).
import * as vscode from 'vscode';
import type { AskRefineryResult } from '../../server/src/protocol';
import type { ServerConnection } from './connection/server-connection';
import { WITNESS_SOURCE } from '../../server/src/protocol-names';

export const FIX_WITH_REFINERY_COMMAND = 'electrictown.fixWithRefinery';

export interface FixArgument {
  /** What the server's command takes: the file's URI, the diagnostic in LSP's form, the editor's text and version. */
  server: { uri: string; diagnostic: unknown; text: string; version: number };
  message: string;
  /** The document the finding is on, when it is not `server.uri`: a proposal, which the server knows by its staged file. */
  document?: string;
}

export class WitnessActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  /** `stagedOf`: the staged file (`file:` URI) behind a proposal URI, else undefined. */
  constructor(
    private readonly client: () => ServerConnection | undefined,
    private readonly stagedOf: (uri: vscode.Uri) => vscode.Uri | undefined = () => undefined,
  ) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const client = this.client();
    if (!client) return [];
    // The extension host's own diagnostics, not the context's: those reach the editor a moment after they
    // are set, so a request made at once would see none.
    return vscode.languages
      .getDiagnostics(document.uri)
      .filter((diagnostic) => diagnostic.source === WITNESS_SOURCE && diagnostic.range.intersection(range) !== undefined)
      .map((diagnostic) => {
        const action = new vscode.CodeAction(`Ask refinery to fix: ${diagnostic.message}`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        // The server does not sync generated files: it gets the text as the editor has it.
        const staged = this.stagedOf(document.uri);
        const argument: FixArgument = { server: { uri: (staged ?? document.uri).toString(), diagnostic: client.toProtocolDiagnostic(diagnostic), text: document.getText(), version: document.version }, message: diagnostic.message, ...(staged ? { document: document.uri.toString() } : {}) };
        action.command = { title: 'Ask refinery to fix', command: FIX_WITH_REFINERY_COMMAND, arguments: [argument] };
        return action;
      });
  }
}

/** The quick fix's command: the refinery's fix with progress, and a word on how it went. */
export async function fixWithRefinery(client: ServerConnection | undefined, argument: FixArgument, isProposal: (uri: vscode.Uri) => boolean): Promise<AskRefineryResult | undefined> {
  if (!client) {
    void vscode.window.showWarningMessage('Electrictown: the server is not running.');
    return undefined;
  }
  const finding = argument.message.length > 60 ? `${argument.message.slice(0, 59)}…` : argument.message;
  let result: AskRefineryResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Electrictown: the refinery is fixing “${finding}”…` }, () => client.askRefinery(argument.server));
  } catch (error) {
    void vscode.window.showErrorMessage(`Electrictown: the refinery could not fix it: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const uri = vscode.Uri.parse(argument.document ?? argument.server.uri);
  if (result.applied && isProposal(uri)) {
    // The document the edit went into (opened by the edit if it was not): saved, so the run folder holds the fix.
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.isDirty && !(await document.save())) void vscode.window.showWarningMessage(`Electrictown: the fixed proposal could not be saved; save ${vscode.workspace.asRelativePath(uri)} before accepting it.`);
  }
  const say = result.applied ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void say(`Electrictown: ${result.outcome === 'unchanged' ? `${result.message}: the finding stays.` : `${result.message}.`}`);
  return result;
}
