// What the extension asks of its server, typed by the protocol. The implementation (./connection.ts)
// wraps vscode-languageclient in a bundle of its own, loaded after activation: the library is nine
// tenths of the client's code and takes ~70 ms to load, several times the activation budget. So
// everything that runs at activation imports only this module's types, never the library or the
// protocol's values (esbuild.mjs fails the build if one does).
import type * as vscode from 'vscode';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';
import type { RequestType } from 'vscode-languageserver-protocol';
import type { ApprovePlanParams, AskRefineryResult, BudgetReachedParams, LanguageModelChatChunkParams, LanguageModelChatParams, LanguageModelChatResult, CancelRunRequest, CostsRequest, DecideProposalsRequest, GetRunRequest, ListRunsRequest, ModelsRequest, ReviewFileRequest, RunEventParams, RunRequest, ServerStatusParams, RunDefaultsRequest, PreflightRequest, KeepCheckpointRequest, ListCheckpointsRequest, GetTranscriptRequest } from '../../../server/src/protocol';
import type { ClientSettings } from '../settings';

/** A request of the protocol as a method: its params in, its result out. */
type Call<T> = T extends RequestType<infer P, infer R, unknown> ? (params: P) => Promise<R> : never;

export type ConnectionState = 'starting' | 'running' | 'stopped';

export interface ServerConnection {
  /** The language client underneath: for other extensions and tests, not for the extension's own use. */
  readonly languageClient: LanguageClient;
  readonly state: ConnectionState;
  /** Starts the server process and initializes it; rejects when it cannot. */
  start(): Promise<void>;
  /** False when there is nothing to stop (it never started, or its start failed). */
  needsStop(): boolean;
  /** Shuts the server down, killing it after `timeoutMs`. */
  dispose(timeoutMs: number): Promise<void>;
  onDidChangeState(listener: (state: ConnectionState) => void): vscode.Disposable;
  onServerStatus(listener: (status: ServerStatusParams) => void): vscode.Disposable;
  onRunEvents(listener: (params: RunEventParams) => void): vscode.Disposable;
  /** The server asks what to do with a run's plan: approve, edit or cancel. */
  onApprovePlan(handler: (params: ApprovePlanParams, token: vscode.CancellationToken) => Promise<{ decision: 'approve' | 'edit' | 'cancel'; text?: string }>): vscode.Disposable;
  /** The server asks whether to raise a run's budget, which it reached. */
  onBudgetReached(handler: (params: BudgetReachedParams, token: vscode.CancellationToken) => Promise<{ raiseToUsd?: number }>): vscode.Disposable;
  /** The server asks to run a chat request on one of the editor's language models (a `type: vscode` provider). */
  onLanguageModelChat(handler: (params: LanguageModelChatParams, token: vscode.CancellationToken) => Promise<LanguageModelChatResult>): vscode.Disposable;
  /** A part of such a request's answer, to the server. */
  sendLanguageModelChunk(params: LanguageModelChatChunkParams): Promise<void>;
  /** The user trusted the workspace: the server may run build commands from now on. */
  workspaceTrusted(): void;
  /** An editor diagnostic in the protocol's form, as the server's commands take it. */
  toProtocolDiagnostic(diagnostic: vscode.Diagnostic): unknown;
  run: Call<typeof RunRequest.type>;
  cancelRun: Call<typeof CancelRunRequest.type>;
  getRun: Call<typeof GetRunRequest.type>;
  getTranscript: Call<typeof GetTranscriptRequest.type>;
  listRuns: Call<typeof ListRunsRequest.type>;
  /** The config's run defaults (its budget), for the language model tool's confirmation. */
  runDefaults: Call<typeof RunDefaultsRequest.type>;
  models: Call<typeof ModelsRequest.type>;
  costs: Call<typeof CostsRequest.type>;
  preflight: Call<typeof PreflightRequest.type>;
  reviewFile: Call<typeof ReviewFileRequest.type>;
  decideProposals: Call<typeof DecideProposalsRequest.type>;
  keepCheckpoint: Call<typeof KeepCheckpointRequest.type>;
  listCheckpoints: Call<typeof ListCheckpointsRequest.type>;
  /** "Ask refinery to fix" (the server's `electrictown.askRefinery` command) with its argument. */
  askRefinery(argument: unknown): Promise<AskRefineryResult>;
}

/** The lazily loaded module's one export (see ./connection.ts). `middleware`: the language client's (proposal URIs). */
export type Connect = (context: vscode.ExtensionContext, settings: ClientSettings, output: vscode.LogOutputChannel, secrets: Record<string, string>, middleware?: Middleware) => ServerConnection;
