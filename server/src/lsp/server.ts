// `et serve --stdio`: the language server. This file only wires LSP messages to handlers.
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerStatusNotification } from '../protocol';
import { VERSION } from '../version';
import { ConfigDocuments } from './config-documents';
import { DiagnosticsScheduler, EDIT_DEBOUNCE_MS, toDiagnostic } from './diagnostics';
import { LanguageHandlers } from './language-handlers';
import { guardMessages } from './malformed-messages';

export async function startLanguageServer(): Promise<void> {
  const writer = new StreamMessageWriter(process.stdout);
  const reader = guardMessages(new StreamMessageReader(process.stdin), writer);
  const connection = createConnection(ProposedFeatures.all, reader, writer);

  const environment = () => process.env;
  const documents = new TextDocuments(TextDocument);
  const configs = new ConfigDocuments(environment);
  const handlers = new LanguageHandlers(documents, configs, environment);
  const diagnostics = new DiagnosticsScheduler(connection, (uri) => {
    const document = documents.get(uri);
    if (!document) return undefined;
    const { analysis, lines, version } = configs.get(document);
    return { version, diagnostics: analysis.issues.map((issue) => toDiagnostic(issue, lines)) };
  });
  const seen = new Set<string>();

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', '[', ','] },
        hoverProvider: true,
        definitionProvider: true,
      },
      serverInfo: { name: 'electrictown', version: VERSION },
    }),
  );
  connection.onInitialized(() => {
    void connection.sendNotification(ServerStatusNotification.type, { health: 'ok', message: 'ready', version: VERSION });
  });

  documents.onDidChangeContent(({ document }) => {
    // The first content is the open: check at once. Edits wait until typing pauses.
    const delay = seen.has(document.uri) ? EDIT_DEBOUNCE_MS : 0;
    seen.add(document.uri);
    diagnostics.schedule(document.uri, delay);
  });
  documents.onDidClose(({ document }) => {
    seen.delete(document.uri);
    configs.forget(document.uri);
    diagnostics.clear(document.uri);
  });
  connection.onCompletion((params) => handlers.completion(params));
  connection.onHover((params) => handlers.hover(params));
  connection.onDefinition((params) => handlers.definition(params));

  documents.listen(connection);
  connection.listen();
}
