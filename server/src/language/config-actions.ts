// Quick fixes on the config's own diagnostics: a "did you mean X" replaces the misspelt word with X, and
// an unset environment variable offers Set API Key for it (the extension's command, which keeps the value
// in the OS keychain; the server never sees it until it restarts with it). Pure.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE } from '../lsp/diagnostics';

/** The extension's Set API Key; its one argument is the variable's name. */
export const SET_API_KEY_COMMAND = 'electrictown.setApiKey';

const SUGGESTION = /did you mean "([^"]+)"\?/;
const UNSET_VARIABLE = /^environment variable ([A-Za-z_][A-Za-z0-9_]*) is not set/;

/** A diagnostic's message as text (LSP allows markup too). */
const textOf = (diagnostic: Diagnostic): string => (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value);

/**
 * The edit a "did you mean" asks for: the name quoted last before the suggestion that is written inside
 * the diagnostic's range (a key, a value, or the provider part of `provider/model`), replaced by the
 * suggestion. Undefined when the message quotes nothing found there.
 */
function suggestionAction(uri: string, document: TextDocument, diagnostic: Diagnostic): CodeAction | undefined {
  const message = textOf(diagnostic);
  const match = SUGGESTION.exec(message);
  if (!match) return undefined;
  const suggestion = match[1];
  const written = document.getText(diagnostic.range);
  const quoted = [...message.slice(0, match.index).matchAll(/"([^"]+)"/g)].map((quote) => quote[1]);
  const wrong = quoted.reverse().find((name) => name !== suggestion && written.includes(name));
  if (wrong === undefined) return undefined;
  const start = document.offsetAt(diagnostic.range.start) + written.indexOf(wrong);
  const range = { start: document.positionAt(start), end: document.positionAt(start + wrong.length) };
  return { title: `Change "${wrong}" to "${suggestion}"`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: { changes: { [uri]: [{ range, newText: suggestion }] } } };
}

function setKeyAction(diagnostic: Diagnostic): CodeAction | undefined {
  const name = UNSET_VARIABLE.exec(textOf(diagnostic))?.[1];
  if (name === undefined) return undefined;
  return { title: `Set ${name} (Set API Key)`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: 'Set API Key', command: SET_API_KEY_COMMAND, arguments: [name] } };
}

/** The quick fixes for the config's diagnostics in the request's context; none for a document the server does not have. */
export function configActions(params: CodeActionParams, document: TextDocument | undefined): CodeAction[] {
  if (!document) return [];
  return params.context.diagnostics
    .filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE)
    .flatMap((diagnostic) => {
      const action = diagnostic.code === 'unset-env-var' ? setKeyAction(diagnostic) : suggestionAction(params.textDocument.uri, document, diagnostic);
      return action ? [action] : [];
    });
}
