// The server connection over vscode-languageclient. A bundle of its own (client/out/connection.js),
// loaded when the server first starts, after activation; see ./server-connection.ts for why.
import type * as vscode from 'vscode';
import { ExecuteCommandRequest, State, type LanguageClient } from 'vscode-languageclient/node';
import { ApprovePlanRequest, ASK_REFINERY_COMMAND, BudgetReachedRequest, LanguageModelChatChunkNotification, LanguageModelChatRequest, CancelRunRequest, CostsRequest, DecideProposalsRequest, GetRunRequest, ListRunsRequest, ModelsRequest, ReviewFileRequest, RunEventNotification, RunRequest, ServerStatusNotification, WorkspaceTrustNotification, RunDefaultsRequest, PreflightRequest, KeepCheckpointRequest, ListCheckpointsRequest, GetTranscriptRequest } from '../../../server/src/protocol';
import { createLanguageClient } from './language-client';
import type { Connect, ConnectionState, ServerConnection } from './server-connection';

const STATES: Record<State, ConnectionState> = { [State.Starting]: 'starting', [State.Running]: 'running', [State.Stopped]: 'stopped', [State.StartFailed]: 'stopped' };

class LanguageServerConnection implements ServerConnection {
  constructor(readonly languageClient: LanguageClient) {}

  get state(): ConnectionState {
    return STATES[this.languageClient.state];
  }

  start = () => this.languageClient.start();
  needsStop = () => this.languageClient.needsStop();
  dispose = (timeoutMs: number) => this.languageClient.dispose(timeoutMs);
  onDidChangeState = (listener: (state: ConnectionState) => void) => this.languageClient.onDidChangeState(({ newState }) => listener(STATES[newState]));
  onServerStatus: ServerConnection['onServerStatus'] = (listener) => this.languageClient.onNotification(ServerStatusNotification.type, listener);
  onRunEvents: ServerConnection['onRunEvents'] = (listener) => this.languageClient.onNotification(RunEventNotification.type, listener);
  onBudgetReached: ServerConnection['onBudgetReached'] = (handler) => this.languageClient.onRequest(BudgetReachedRequest.type, handler);
  onApprovePlan: ServerConnection['onApprovePlan'] = (handler) => this.languageClient.onRequest(ApprovePlanRequest.type, handler);
  onLanguageModelChat: ServerConnection['onLanguageModelChat'] = (handler) => this.languageClient.onRequest(LanguageModelChatRequest.type, handler);
  sendLanguageModelChunk: ServerConnection['sendLanguageModelChunk'] = (params) => this.languageClient.sendNotification(LanguageModelChatChunkNotification.type, params);
  workspaceTrusted = () => void this.languageClient.sendNotification(WorkspaceTrustNotification.type, { trusted: true });
  toProtocolDiagnostic = (diagnostic: vscode.Diagnostic) => this.languageClient.code2ProtocolConverter.asDiagnostic(diagnostic);
  run: ServerConnection['run'] = (params) => this.languageClient.sendRequest(RunRequest.type, params);
  cancelRun: ServerConnection['cancelRun'] = (params) => this.languageClient.sendRequest(CancelRunRequest.type, params);
  getRun: ServerConnection['getRun'] = (params) => this.languageClient.sendRequest(GetRunRequest.type, params);
  getTranscript: ServerConnection['getTranscript'] = (params) => this.languageClient.sendRequest(GetTranscriptRequest.type, params);
  listRuns: ServerConnection['listRuns'] = (params) => this.languageClient.sendRequest(ListRunsRequest.type, params);
  runDefaults: ServerConnection['runDefaults'] = (params) => this.languageClient.sendRequest(RunDefaultsRequest.type, params);
  models: ServerConnection['models'] = (params) => this.languageClient.sendRequest(ModelsRequest.type, params);
  costs: ServerConnection['costs'] = (params) => this.languageClient.sendRequest(CostsRequest.type, params);
  preflight: ServerConnection['preflight'] = (params) => this.languageClient.sendRequest(PreflightRequest.type, params);
  reviewFile: ServerConnection['reviewFile'] = (params) => this.languageClient.sendRequest(ReviewFileRequest.type, params);
  decideProposals: ServerConnection['decideProposals'] = (params) => this.languageClient.sendRequest(DecideProposalsRequest.type, params);
  keepCheckpoint: ServerConnection['keepCheckpoint'] = (params) => this.languageClient.sendRequest(KeepCheckpointRequest.type, params);
  listCheckpoints: ServerConnection['listCheckpoints'] = (params) => this.languageClient.sendRequest(ListCheckpointsRequest.type, params);
  askRefinery: ServerConnection['askRefinery'] = (argument) => this.languageClient.sendRequest(ExecuteCommandRequest.type, { command: ASK_REFINERY_COMMAND, arguments: [argument] });
}

export const connect: Connect = (context, settings, output, secrets, middleware) => new LanguageServerConnection(createLanguageClient(context, settings, output, secrets, middleware));
