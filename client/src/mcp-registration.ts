// VS Code's own agents (Copilot's agent mode, any MCP-aware chat) get electrictown with no set-up: the
// extension offers `et mcp` for the workspace as an MCP server, where the running VS Code has the API
// (1.101 and later; on older ones this does nothing). Only in a trusted workspace, since an agent's runs
// may build and test. API keys from SecretStorage go into the server's environment when it starts,
// never into its definition.
import * as vscode from 'vscode';
import { configPathUri, readSettings } from './settings';

/** The parts of the MCP API this uses, read at run time: `@types/vscode` is held at the oldest supported VS Code. */
interface StdioDefinition {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  cwd?: vscode.Uri;
}
interface McpApi {
  registerMcpServerDefinitionProvider(id: string, provider: { onDidChangeMcpServerDefinitions?: vscode.Event<void>; provideMcpServerDefinitions(): StdioDefinition[]; resolveMcpServerDefinition?(server: StdioDefinition): Promise<StdioDefinition | undefined> }): vscode.Disposable;
}
type DefinitionClass = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => StdioDefinition;

export const MCP_PROVIDER_ID = 'electrictown.mcp';

/** `et mcp` for the first workspace folder: the configured `et`, else the bundled server on the editor's own Node. */
export function mcpServerCommand(context: vscode.ExtensionContext): { command: string; args: string[]; env: Record<string, string> } | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || !vscode.workspace.isTrusted) return undefined;
  const settings = readSettings();
  const config = configPathUri(settings);
  const tail = [...(config ? ['--config', config.fsPath] : []), 'mcp', '--workspace', folder.uri.fsPath];
  if (settings.serverPath) return { command: settings.serverPath, args: tail, env: {} };
  // The extension host's executable runs as Node with ELECTRON_RUN_AS_NODE (VS Code's own advice for Node servers).
  return { command: process.execPath, args: [context.asAbsolutePath('server/out/cli.js'), ...tail], env: { ELECTRON_RUN_AS_NODE: '1' } };
}

/**
 * Registers the definition where VS Code can take it; `registered` says whether it did. An editor whose
 * API is older or different (1.100 has it under another contribution point and throws) goes without it:
 * the extension works the same, and the reason is logged.
 */
export function registerMcpServer(context: vscode.ExtensionContext, secretEnvironment: () => Promise<Record<string, string>>, log: (message: string) => void): { registered: boolean; disposable: vscode.Disposable } {
  const none = { registered: false, disposable: new vscode.Disposable(() => undefined) };
  const api = vscode.lm as unknown as Partial<McpApi> | undefined;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: DefinitionClass }).McpStdioServerDefinition;
  if (typeof api?.registerMcpServerDefinitionProvider !== 'function' || Definition === undefined) return none;
  const changed = new vscode.EventEmitter<void>();
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '');
  let registration: vscode.Disposable;
  try {
    registration = api.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      const server = mcpServerCommand(context);
      if (!server) return [];
      const definition = new Definition('Electrictown', server.command, server.args, server.env, version);
      definition.cwd = vscode.workspace.workspaceFolders?.[0]?.uri;
      return [definition];
    },
    resolveMcpServerDefinition: async (server) => {
      server.env = { ...server.env, ...(await secretEnvironment()) };
      return server;
    },
    });
  } catch (error) {
    changed.dispose();
    log(`et mcp is not offered to VS Code's agents: ${error instanceof Error ? error.message : String(error)}`);
    return none;
  }
  return {
    registered: true,
    disposable: vscode.Disposable.from(
      registration,
      changed,
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('electrictown') && changed.fire()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
    ),
  };
}
