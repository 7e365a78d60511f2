// What the status bar and the Costs view show of the spending, kept current: read from the ledger (at
// start, when a run ends, when the view is shown) and, in between, the calls of the runs under way added
// as they land. Redrawn at most every RENDER_INTERVAL_MS, off the events' own path.
import * as vscode from 'vscode';
import type { RunAttempt } from '../../../server/src/protocol';
import type { ServerConnection } from '../connection/server-connection';
import type { RunsModel } from '../runs/runs-model';
import type { ServerStatusItem } from '../status';
import { NO_CONFIG_REASON } from '../../../server/src/protocol-names';
import { costsDisplay, readCosts, type CostsSnapshot } from './costs-model';
import type { CostsView } from './costs-view';
import { addCalls } from './live-costs';

export const RENDER_INTERVAL_MS = 500;

export class CostsFeed implements vscode.Disposable {
  private snapshot: CostsSnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly client: () => ServerConnection | undefined,
    private readonly configPath: () => string | undefined,
    private readonly runs: RunsModel,
    private readonly status: ServerStatusItem,
    private readonly view: CostsView,
  ) {
    this.subscriptions = [
      runs.onDidApplyEvents(({ events }) => {
        const calls = events.filter((event): event is Extract<typeof event, { kind: 'attempt-end' }> => event.kind === 'attempt-end');
        if (calls.length === 0) return;
        if (this.snapshot && addCalls(this.snapshot, calls satisfies RunAttempt[], new Date())) this.schedule();
        else if (this.snapshot) void this.refresh();
      }),
      runs.onDidEndRun(() => void this.refresh()),
      runs.onDidChange(() => {
        if (runs.running().length === this.running) return;
        this.running = runs.running().length;
        this.schedule();
      }),
    ];
  }

  /** What the Costs view shows now: the last ledger read, with the calls landed since. */
  get current(): CostsSnapshot | undefined {
    return this.snapshot;
  }

  /** The ledger's totals, read again; undefined when the server is not running or the ledger cannot be read. */
  async refresh(): Promise<CostsSnapshot | undefined> {
    const client = this.client();
    if (!client) return undefined;
    try {
      this.snapshot = await readCosts(client, this.configPath());
      this.render();
      return this.snapshot;
    } catch (error) {
      // No config yet is where every workspace starts: a welcome, not an error.
      if ((error as { data?: { reason?: unknown } } | undefined)?.data?.reason === NO_CONFIG_REASON) this.view.show({ empty: 'no-config' });
      else this.view.show({ error: `The cost ledger could not be read: ${error instanceof Error ? error.message : String(error)}` });
      this.status.setActivity({ running: this.runs.running().length, todayUsd: undefined, todayUnpriced: 0 });
      return undefined;
    }
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, RENDER_INTERVAL_MS);
  }

  private render(): void {
    const today = this.snapshot?.periods[0].total;
    this.status.setActivity({ running: this.runs.running().length, todayUsd: today?.usd, todayUnpriced: today?.unpricedAttempts ?? 0 });
    if (this.snapshot) this.view.show(costsDisplay(this.snapshot));
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
