// Drives `et mcp` (the built bundle) with the MCP SDK's own client over stdio, as an agent's client
// does: the server spawned in a folder of the test's, with exactly the environment given.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SERVER_BUNDLE } from './lsp-process';
import { TEST_HOME } from './run-cli';

export interface McpConnection {
  client: Client;
  transport: StdioClientTransport;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  /** Calls a tool; the result as the client received it. */
  call(name: string, args?: Record<string, unknown>, options?: { onprogress?: (progress: Progress) => void; timeout?: number }): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface McpStart {
  cwd: string;
  env?: Record<string, string>;
  /** After `mcp`, e.g. `--max-runs 2`. */
  args?: string[];
  /** Folders the client offers as its roots; without it the client has no roots capability. */
  roots?: string[];
}

export async function connectMcp(start: McpStart): Promise<McpConnection> {
  if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run \`node esbuild.mjs\` first`);
  const transport = new StdioClientTransport({ command: process.execPath, args: [SERVER_BUNDLE, 'mcp', ...(start.args ?? [])], cwd: start.cwd, env: { PATH: process.env.PATH ?? '', HOME: TEST_HOME, ...start.env }, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'electrictown-tests', version: '1.0.0' }, start.roots ? { capabilities: { roots: {} } } : {});
  if (start.roots) {
    const roots = start.roots;
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots.map((folder) => ({ uri: pathToFileURL(folder).href, name: folder })) }));
  }
  await client.connect(transport);
  return {
    client,
    transport,
    stderr: () => stderr,
    call: async (name, args = {}, options = {}) => (await client.callTool({ name, arguments: args }, undefined, { timeout: options.timeout ?? 60_000, onprogress: options.onprogress, resetTimeoutOnProgress: options.onprogress !== undefined })) as CallToolResult,
    close: () => client.close(),
  };
}

/** A tool result's structured content; fails the test with its text when it is an error. */
export function structured<T = Record<string, unknown>>(result: CallToolResult): T {
  if (result.isError) throw new Error(`the tool answered an error: ${textOf(result)}`);
  return result.structuredContent as T;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
}
