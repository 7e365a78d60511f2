// "Ask refinery to fix": a quick fix offered on each of the witness's diagnostics. The action carries
// the diagnostic; running it (`electrictown.askRefinery`, in run-service.ts) sends the file and the
// finding to the refinery and applies its answer as one edit. Pure.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import { ASK_REFINERY_COMMAND, WITNESS_SOURCE } from '../protocol';

export { ASK_REFINERY_COMMAND };

export interface AskRefineryArguments {
  uri: string;
  diagnostic: Diagnostic;
  /** The file's text and version as the editor has it, for a file the server does not sync. */
  text?: string;
  version?: number;
}

export function refineryActions(params: CodeActionParams): CodeAction[] {
  return params.context.diagnostics
    .filter((diagnostic) => diagnostic.source === WITNESS_SOURCE)
    .map((diagnostic) => {
      const argument: AskRefineryArguments = { uri: params.textDocument.uri, diagnostic };
      return { title: `Ask refinery to fix: ${diagnostic.message}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: 'Ask refinery to fix', command: ASK_REFINERY_COMMAND, arguments: [argument] } };
    });
}
