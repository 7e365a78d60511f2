// Owns the server connection's life: start, stop, restart, and telling the user when it cannot start.
// The connection's code (the language client) is loaded on the first start, not at activation.
import * as vscode from 'vscode';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';
import type { ConnectionState, ServerConnection } from './connection/server-connection';
import { CRASH_LIMIT, CRASH_WINDOW_MS, restartsAfterCrash } from './crash-policy';
import { answerChat } from './lm/lm-api';
import { askToRaiseBudget } from './runs/budget-prompt';
import { approvePlanInEditor } from './runs/plan-approval';
import { readSettings } from './settings';
import { ServerStatusItem } from './status';

const RUNNING_CONTEXT_KEY = 'electrictown.serverRunning';


export class ServerController implements vscode.Disposable {
  private client: ServerConnection | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private version: string | undefined;
  /** Start, stop and restart run one after another, so a restart never races a start. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly clientChanged = new vscode.EventEmitter<ServerConnection | undefined>();
  /** What onDidChangeClient last said. */
  private announced: ServerConnection | undefined;
  /** When the servers this controller started died on their own. */
  private readonly crashes: number[] = [];
  /**
   * A connection is running, or (undefined) none is: after a stop, a restart, or a crash (after which
   * the controller starts a new server, announced again once it runs).
   */
  readonly onDidChangeClient = this.clientChanged.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
    private readonly status: ServerStatusItem,
    /** Extra environment for the server: the API keys from SecretStorage. */
    private readonly secretEnvironment: () => Promise<Record<string, string>>,
    /** The language client's middleware: pending proposals at their own URIs. */
    private readonly middleware?: Middleware,
  ) {
    // Builds are off until the user trusts the workspace; the running server hears when they do.
    context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.connection?.workspaceTrusted()));
  }

  /** The running connection, if any. */
  get connection(): ServerConnection | undefined {
    return this.client?.state === 'running' ? this.client : undefined;
  }

  /** The running language client, if any: for other extensions and tests. */
  get languageClient(): LanguageClient | undefined {
    return this.connection?.languageClient;
  }

  start(): Promise<boolean> {
    return this.serialize(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.serialize(async () => {
      await this.disposeClient();
      this.status.show({ kind: 'stopped' });
    });
  }

  restart(): Promise<boolean> {
    return this.serialize(async () => {
      await this.disposeClient();
      return this.startNow();
    });
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async startNow(): Promise<boolean> {
    if (this.client) return true;
    this.version = undefined;
    const settings = readSettings();
    this.status.show({ kind: 'starting' });
    try {
      const [{ connect }, secrets] = await Promise.all([import('./connection/connection'), this.secretEnvironment()]);
      const client = connect(this.context, settings, this.output, secrets, this.middleware);
      this.client = client;
      this.subscriptions.push(
        client.onDidChangeState((state) => this.onStateChange(state)),
        client.onServerStatus((status) => {
          this.version = status.version;
          this.status.show({ kind: 'running', version: status.version });
        }),
        client.onBudgetReached((params, token) => askToRaiseBudget(params, token)),
        client.onApprovePlan((params, token) => approvePlanInEditor(params, token)),
        client.onLanguageModelChat((params, token) => answerChat(params, token, (text) => client.sendLanguageModelChunk({ requestId: params.requestId, text }))),
      );
      await client.start();
      this.output.info(`server started${settings.serverPath ? ` from ${settings.serverPath}` : ''}`);
      this.announce(client);
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.output.error(`server failed to start: ${reason}`);
      await this.disposeClient();
      this.status.show({ kind: 'failed', reason });
      void this.offerRetry(reason);
      return false;
    }
  }

  private announce(client: ServerConnection | undefined): void {
    if (client === this.announced) return;
    this.announced = client;
    this.clientChanged.fire(client);
  }

  private onStateChange(state: ConnectionState): void {
    // Its own stops are not seen here (disposeClient unsubscribes first): a running server that stops died.
    if (state === 'stopped' && this.announced) void this.recoverFromCrash();
    this.announce(state === 'running' ? this.client : undefined);
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, state === 'running');
    if (state === 'running') this.status.show({ kind: 'running', version: this.version });
    else if (state === 'starting') this.status.show({ kind: 'starting' });
    else this.status.show({ kind: 'stopped' });
  }

  private async recoverFromCrash(): Promise<void> {
    const now = Date.now();
    const again = restartsAfterCrash(this.crashes, now);
    this.crashes.push(now);
    if (again) {
      this.output.warn('the server stopped unexpectedly; starting it again');
      await this.restart();
      return;
    }
    const reason = `it stopped unexpectedly ${CRASH_LIMIT + 1} times in ${CRASH_WINDOW_MS / 60_000} minutes`;
    this.output.error(`server not started again: ${reason}`);
    await this.serialize(() => this.disposeClient());
    this.status.show({ kind: 'failed', reason });
    void this.offerRetry(reason);
  }

  private async offerRetry(reason: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(`Electrictown: the server could not start: ${reason}`, 'Show Output', 'Retry');
    if (choice === 'Show Output') this.output.show();
    else if (choice === 'Retry') await this.restart();
  }

  private async disposeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.announce(undefined);
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, false);
    // A client whose start failed has nothing left to stop.
    if (!client || !client.needsStop()) return;
    try {
      await client.dispose(2000);
    } catch (error) {
      this.output.warn(`server did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dispose(): void {
    void this.disposeClient();
  }
}
