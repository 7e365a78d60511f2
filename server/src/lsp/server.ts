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
import type { Environment } from '../config/env';
import { ServerStatusNotification } from '../protocol';
import { VERSION } from '../version';
import type { ConfigDocuments } from './config-documents';
import { DiagnosticsScheduler, EDIT_DEBOUNCE_MS, toDiagnostic } from './diagnostics';
import type { LanguageHandlers } from './language-handlers';
import { guardMessages } from './malformed-messages';

interface ConfigLanguage {
  configs: ConfigDocuments;
  handlers: LanguageHandlers;
}

/**
 * The config language (zod schema, YAML parser) loads after the event loop has had a chance to
 * answer `initialize`: a client waits only for the transport, not for the parts it uses later.
 */
function loadConfigLanguage(documents: TextDocuments<TextDocument>, environment: () => Environment): Promise<ConfigLanguage> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      Promise.all([import('./config-documents'), import('./language-handlers')])
        .then(([{ ConfigDocuments }, { LanguageHandlers }]) => {
          const configs = new ConfigDocuments(environment);
          resolve({ configs, handlers: new LanguageHandlers(documents, configs, environment) });
        })
        .catch(reject);
    });
  });
}

export async function startLanguageServer(): Promise<void> {
  const writer = new StreamMessageWriter(process.stdout);
  const reader = guardMessages(new StreamMessageReader(process.stdin), writer);
  const connection = createConnection(ProposedFeatures.all, reader, writer);

  const environment = () => process.env;
  const documents = new TextDocuments(TextDocument);
  const language = loadConfigLanguage(documents, environment);
  const diagnostics = new DiagnosticsScheduler(connection, async (uri) => {
    const { configs } = await language;
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
    void language.then(({ configs }) => configs.forget(document.uri));
    diagnostics.clear(document.uri);
  });
  connection.onCompletion(async (params) => (await language).handlers.completion(params));
  connection.onHover(async (params) => (await language).handlers.hover(params));
  connection.onDefinition(async (params) => (await language).handlers.definition(params));

  documents.listen(connection);
  connection.listen();
  // A client that goes away without `exit` closes our stdin; nobody is left to serve.
  process.stdin.on('end', () => process.exit(0));
}
