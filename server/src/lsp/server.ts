// `et serve --stdio`: the language server. This file only wires LSP messages to handlers.
import {
  createConnection,
  ProposedFeatures,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  type ClientCapabilities,
  type CodeActionParams,
  type CompletionParams,
  type DefinitionParams,
  type ExecuteCommandParams,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { discoverConfig } from '../config/discover';
import { configActions } from '../language/config-actions';
import type { Environment } from '../config/env';
import {
  CancelRunRequest,
  CostsRequest,
  DecideProposalsRequest,
  KeepCheckpointRequest,
  ListCheckpointsRequest,
  ReviewFileRequest,
  GetRunRequest,
  GetTranscriptRequest,
  ListRunsRequest,
  ModelsRequest,
  RunDefaultsRequest,
  PreflightRequest,
  RunRequest,
  ServerStatusNotification,
  SessionGetRequest,
  SessionKillRequest,
  SessionListRequest,
  SessionSendRequest,
  SessionSpawnRequest,
  WorkspaceTrustNotification,
  LanguageModelChatChunkNotification,
  type ElectrictownInitializationOptions,
  type PreflightResult,
} from '../protocol';
import { NO_CAPABILITY_REASON, unreachableLanguageModels } from '../providers/vscode/client-language-models';
import { VERSION } from '../version';
import type { ConfigDocuments } from './config-documents';
import { DiagnosticsScheduler, EDIT_DEBOUNCE_MS, toDiagnostic } from './diagnostics';
import { EditorLanguageModels } from './editor-language-models';
import type { LanguageHandlers } from './language-handlers';
import { ASK_REFINERY_COMMAND, refineryActions, type AskRefineryArguments } from './refinery-actions';
import type { RunService } from './run-service';
import { answerCleanly } from './handler-failures';
import { guardMessages } from './message-guard';
import { StrictMessageReader } from './strict-message-reader';

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

/** The workspace's first folder, where the default config and relative output folders are. */
function workspaceRoot(params: InitializeParams): string {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  if (uri?.startsWith('file:')) return fileURLToPath(uri);
  return process.cwd();
}

export interface LanguageServerOptions {
  /** How to run this `et` again (see self-command.ts); without it, no session can start a turn. */
  self: readonly string[] | undefined;
}

export async function startLanguageServer(options: LanguageServerOptions): Promise<void> {
  const environment = () => process.env;
  // Runs under way are cancelled and their records written before the server goes away.
  const stopRuns = () => (runService ? runService.then((service) => service.stopAll()) : Promise.resolve());
  const writer = new StreamMessageWriter(process.stdout);
  const reader = guardMessages(new StrictMessageReader(process.stdin), writer, {
    log: (text) => connection.console.error(text),
    fatal: (reason) => {
      process.stderr.write(`electrictown: unrecoverable framing error on stdin (${reason}); exiting\n`);
      void stopRuns().finally(() => process.exit(1));
    },
  });
  const connection = createConnection(ProposedFeatures.all, reader, writer);
  // Every handler below answers an unexpected failure with a plain InternalError, and logs it.
  const answer = answerCleanly((text) => connection.console.error(text), environment);
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

  let root = process.cwd();
  let capabilities: ClientCapabilities = {};
  // An editor says whether the workspace is trusted; a headless client owns its machine.
  let workspaceTrusted = true;
  let budgetPrompt = false;
  let planApproval = false;
  let showsRunProgress = false;
  let configPath: string | undefined;
  // `type: vscode` providers reach the editor's models only through a client that said it runs them.
  let languageModels = false;
  const editorModels = new EditorLanguageModels(connection);
  const withoutEditorModels = unreachableLanguageModels(NO_CAPABILITY_REASON);
  // The run engine loads on first use, so a client that only edits configs never pays for it.
  let runService: Promise<RunService> | undefined;
  const runs = () => (runService ??= import('./run-service').then(({ RunService }) => new RunService(connection, { root: () => root, self: options.self, environment, capabilities: () => capabilities, openDocument: (uri) => documents.get(uri), workspaceTrusted: () => workspaceTrusted, budgetPrompt: () => budgetPrompt, planApproval: () => planApproval, showsRunProgress: () => showsRunProgress, clientModels: () => (languageModels ? editorModels : withoutEditorModels) })));
  connection.onRequest(RunRequest.type, answer(RunRequest.method, async (params) => (await runs()).run(params)));
  connection.onRequest(CancelRunRequest.type, answer(CancelRunRequest.method, async (params) => (await runs()).cancelRun(params)));
  connection.onRequest(ListRunsRequest.type, answer(ListRunsRequest.method, async (params) => (await runs()).listRuns(params)));
  connection.onRequest(GetRunRequest.type, answer(GetRunRequest.method, async (params) => (await runs()).getRun(params)));
  connection.onRequest(RunDefaultsRequest.type, answer(RunDefaultsRequest.method, async (params) => (await runs()).runDefaults(params)));
  connection.onRequest(GetTranscriptRequest.type, answer(GetTranscriptRequest.method, async (params) => (await runs()).getTranscript(params)));
  connection.onRequest(ModelsRequest.type, answer(ModelsRequest.method, async (params) => (await runs()).models(params)));
  // The pre-flight check loads on first use too; its endpoint answers are remembered across calls.
  let preflight: Promise<(params: { configPath?: string }) => Promise<PreflightResult>> | undefined;
  const preflightCheck = () =>
    (preflight ??= Promise.all([import('../preflight/preflight'), import('../preflight/endpoint-probes')]).then(([{ runPreflight }, { EndpointProbes }]) => {
      const probes = new EndpointProbes();
      return (params: { configPath?: string }) => runPreflight({ configPath: params.configPath ?? configPath, cwd: root, environment: environment(), probes });
    }));
  connection.onRequest(PreflightRequest.type, answer(PreflightRequest.method, async (params) => (await preflightCheck())(params)));
  connection.onRequest(CostsRequest.type, answer(CostsRequest.method, async (params) => (await runs()).costs(params)));
  connection.onRequest(ReviewFileRequest.type, answer(ReviewFileRequest.method, async (params) => (await runs()).reviewFile(params)));
  connection.onRequest(DecideProposalsRequest.type, answer(DecideProposalsRequest.method, async (params) => (await runs()).decideProposals(params)));
  connection.onRequest(KeepCheckpointRequest.type, answer(KeepCheckpointRequest.method, async (params) => (await runs()).keepCheckpoint(params)));
  connection.onRequest(ListCheckpointsRequest.type, answer(ListCheckpointsRequest.method, async (params) => (await runs()).listCheckpoints(params)));
  connection.onRequest(SessionSpawnRequest.type, answer(SessionSpawnRequest.method, async (params) => (await runs()).sessionSpawn(params)));
  connection.onRequest(SessionSendRequest.type, answer(SessionSendRequest.method, async (params) => (await runs()).sessionSend(params)));
  connection.onRequest(SessionListRequest.type, answer(SessionListRequest.method, async (params) => (await runs()).sessionList(params)));
  connection.onRequest(SessionGetRequest.type, answer(SessionGetRequest.method, async (params) => (await runs()).sessionGet(params)));
  connection.onRequest(SessionKillRequest.type, answer(SessionKillRequest.method, async (params) => (await runs()).sessionKill(params)));
  // Runs under way are cancelled and their records written before the server says it is done.
  connection.onShutdown(answer('shutdown', stopRuns));

  connection.onInitialize(
    answer('initialize', (params: InitializeParams): InitializeResult => {
      root = workspaceRoot(params);
      capabilities = params.capabilities;
      // Checked against ElectrictownInitializationOptions before it got here (request-params.ts).
      const initialization = params.initializationOptions as ElectrictownInitializationOptions | null | undefined;
      workspaceTrusted = initialization?.workspaceTrusted !== false;
      budgetPrompt = initialization?.budgetPrompt === true;
      planApproval = initialization?.planApproval === true;
      showsRunProgress = initialization?.showsRunProgress === true;
      languageModels = initialization?.languageModels === true;
      configPath = typeof initialization?.configPath === 'string' && initialization.configPath !== '' ? initialization.configPath : undefined;
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          completionProvider: { triggerCharacters: [' ', '[', ','] },
          hoverProvider: true,
          definitionProvider: true,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
          executeCommandProvider: { commands: [ASK_REFINERY_COMMAND] },
        },
        serverInfo: { name: 'electrictown', version: VERSION },
      };
    }),
  );
  connection.onInitialized(() => {
    void connection.sendNotification(ServerStatusNotification.type, { health: 'ok', message: 'ready', version: VERSION });
    // The last server's findings, shown again: after a restart, Problems holds what it held. Without a
    // config there are no runs, and the run engine is not loaded for nothing.
    if (discoverConfig({ explicitPath: configPath, cwd: root, home: environment().HOME, exists: existsSync }).found) setImmediate(() => void runs().then((service) => service.republishFindings(configPath)));
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
  connection.onNotification(WorkspaceTrustNotification.type, ({ trusted }) => {
    workspaceTrusted = trusted;
  });
  connection.onNotification(LanguageModelChatChunkNotification.type, (params) => editorModels.chunk(params));
  connection.onCodeAction(answer('textDocument/codeAction', (params: CodeActionParams) => [...refineryActions(params), ...configActions(params, documents.get(params.textDocument.uri))]));
  connection.onExecuteCommand(
    answer('workspace/executeCommand', async (params: ExecuteCommandParams) => {
      if (params.command !== ASK_REFINERY_COMMAND) return undefined;
      // Its one argument was checked against AskRefineryArguments before it got here (request-params.ts).
      return (await runs()).askRefinery(params.arguments?.[0] as AskRefineryArguments);
    }),
  );
  connection.onCompletion(answer('textDocument/completion', async (params: CompletionParams) => (await language).handlers.completion(params)));
  connection.onHover(answer('textDocument/hover', async (params: HoverParams) => (await language).handlers.hover(params)));
  connection.onDefinition(answer('textDocument/definition', async (params: DefinitionParams) => (await language).handlers.definition(params)));

  documents.listen(connection);
  connection.listen();
  // A client that goes away without `exit` closes our stdin; nobody is left to serve. Runs under way
  // are cancelled first, so their records say so.
  process.stdin.on('end', () => {
    void stopRuns().finally(() => process.exit(0));
  });
}
