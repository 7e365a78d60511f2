// How the server process is started and which documents it sees.
import * as vscode from 'vscode';
import type { ElectrictownInitializationOptions } from '../../../server/src/protocol';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type DocumentSelector, type LanguageClientOptions, type Middleware, type ServerOptions } from 'vscode-languageclient/node';
import { configPathUri, type ClientSettings } from '../settings';

// Fixed so a launch configuration can attach to the server in development.
const DEBUG_INSPECT_PORT = 6019;

/** `secrets` (API keys) go into the server's environment only: never its arguments, never a message. */
export function createServerOptions(context: vscode.ExtensionContext, settings: ClientSettings, secrets: Record<string, string> = {}): ServerOptions {
  const env = { ...process.env, ...secrets };
  if (settings.serverPath) {
    const executable = { command: settings.serverPath, args: ['serve'], transport: TransportKind.stdio, options: { env } };
    return { run: executable, debug: executable };
  }
  // The CLI and the editor run the same bundle: `node server/out/cli.js serve --stdio`.
  const module = context.asAbsolutePath('server/out/cli.js');
  return {
    run: { module, args: ['serve'], transport: TransportKind.stdio, options: { env } },
    debug: { module, args: ['serve'], transport: TransportKind.stdio, options: { env, execArgv: ['--nolazy', `--inspect=${DEBUG_INSPECT_PORT}`] } },
  };
}

export function documentSelector(settings: ClientSettings): DocumentSelector {
  const selector: { scheme: string; pattern: string }[] = settings.configFilePatterns.map((pattern) => ({ scheme: 'file', pattern }));
  const configUri = configPathUri(settings);
  // A path used as a glob: forward slashes, and glob characters matched literally.
  if (configUri) selector.push({ scheme: 'file', pattern: configUri.fsPath.replace(/\\/g, '/').replace(/[[\]{}*?]/g, '[$&]') });
  return selector;
}

export function createLanguageClient(context: vscode.ExtensionContext, settings: ClientSettings, outputChannel: vscode.LogOutputChannel, secrets: Record<string, string> = {}, middleware?: Middleware): LanguageClient {
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(settings),
    // Pending proposals show at their own URIs, the server names them by their staged files (proposal-middleware.ts).
    ...(middleware ? { middleware } : {}),
    outputChannel,
    // We show our own message with "Show Output" / "Retry" when the start fails.
    initializationFailedHandler: () => false,
    // A server that dies is the ServerController's to start again, with its own limit and message: the
    // library's own restart gives up for good after a few write errors to the dead process.
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue, handled: true }),
      closed: () => ({ action: CloseAction.DoNotRestart, handled: true }),
    },
    // In an untrusted workspace the server runs no build command (see WorkspaceTrustNotification). A run
    // that reaches its budget asks here before it stops (the server-controller answers).
    // The run's own progress notification (run-controller.ts) is the one the user sees: the server adds
    // none. The config's log folder is where the findings of past runs are read back from at start.
    // `type: vscode` providers' requests come here (an editor without the API answers that it has none).
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted, budgetPrompt: true, planApproval: true, showsRunProgress: true, languageModels: true, ...(settings.configPath ? { configPath: settings.configPath } : {}) } satisfies ElectrictownInitializationOptions,
  };
  // The id equals the settings prefix, so `electrictown.trace.server` works.
  return new LanguageClient('electrictown', 'Electrictown', createServerOptions(context, settings, secrets), clientOptions);
}
