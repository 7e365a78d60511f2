// The runs the sidebar shows: live ones from `electrictown/runEvent` batches, past ones from the run
// folders (`electrictown/listRuns`, then `getRun` when one is expanded). Changes reach the views through
// one coalesced event, so a 64-subtask run's thousands of events refresh the tree a few times a second.
import * as vscode from 'vscode';
import type { RunEvent, RunEventParams, RunRecord, RunSummary } from '../../../server/src/protocol';
import type { ServerConnection } from '../connection/server-connection';
import { measured, noCost, type HandlerCost } from '../handler-cost';
import { applyEvents, newestFirst, resumedView, startingView, viewFromRecord, type RunView } from './run-view';

/** The views redraw at most this often while events stream in. */
export const REFRESH_INTERVAL_MS = 100;
const LIST_LIMIT = 30;

export class RunsModel implements vscode.Disposable {
  private client: ServerConnection | undefined;
  private subscription: vscode.Disposable | undefined;
  private readonly live = new Map<string, RunView>();
  private readonly loaded = new Map<string, RunView>();
  private summaries: RunSummary[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly ended = new vscode.EventEmitter<{ view: RunView; events: readonly RunEvent[] }>();
  private readonly batch = new vscode.EventEmitter<{ view: RunView; events: readonly RunEvent[] }>();
  /** Fires at most every REFRESH_INTERVAL_MS after any change. */
  readonly onDidChange = this.changed.event;
  /** A run's `run-end` arrived (its view is final). */
  readonly onDidEndRun = this.ended.event;
  /** Every batch of events, after it is applied. */
  readonly onDidApplyEvents = this.batch.event;
  /** The most a batch's handler cost: the extension host must stay responsive. */
  slowestBatch: HandlerCost = noCost();

  constructor(private readonly configPath: () => string | undefined) {}

  /** Follows a (re)started server; undefined when it stops. */
  attach(client: ServerConnection | undefined): void {
    this.subscription?.dispose();
    this.client = client;
    this.subscription = client?.onRunEvents((params) => measured(this.slowestBatch, () => this.onEvents(params)));
    // The server that ran them is gone: its running runs end here, interrupted (their folders say
    // `running`, which the next listing reads as interrupted and resumable).
    for (const [id, view] of this.live) {
      if (view.status !== 'running' || view.interrupted) continue;
      view.interrupted = true;
      this.live.delete(id);
      this.ended.fire({ view, events: [] });
    }
    void this.refresh();
  }

  /** A run this window started; its events may already be on the way. */
  track(runId: string, task: string, folder: string): RunView {
    const view = this.live.get(runId) ?? startingView(runId, task, folder, Date.now());
    this.live.set(runId, view);
    this.loaded.delete(runId);
    this.scheduleChange();
    return view;
  }

  /**
   * A run about to be resumed: live again from its record, before the request goes out, so the new
   * life's events (which may beat the request's answer) apply to it and not to its ended view.
   */
  resuming(record: RunRecord): void {
    this.live.set(record.id, resumedView(viewFromRecord(record)));
    this.loaded.delete(record.id);
    this.scheduleChange();
  }

  /** A run that did not start after all (its request failed): shown from its folder again. */
  release(runId: string): void {
    this.live.delete(runId);
    void this.refresh();
  }

  /** Live runs and the folders' runs not among them, by start time, newest first. */
  runs(): { id: string; view: RunView | undefined; summary: RunSummary | undefined }[] {
    const liveIds = new Set(this.live.keys());
    const live = [...this.live.values()].map((view) => ({ id: view.id, view, summary: this.summaries.find((summary) => summary.id === view.id) }));
    const past = this.summaries.filter((summary) => !liveIds.has(summary.id)).map((summary) => ({ id: summary.id, view: this.loaded.get(summary.id), summary }));
    return newestFirst([...live, ...past]);
  }

  running(): RunView[] {
    return [...this.live.values()].filter((view) => view.status === 'running');
  }

  /** The run's full view: live, cached, or read from its record. */
  async view(runId: string): Promise<RunView | undefined> {
    const known = this.live.get(runId) ?? this.loaded.get(runId);
    if (known) return known;
    if (!this.client) return undefined;
    const record = await this.client.getRun({ runId, configPath: this.configPath() });
    const view = viewFromRecord(record, this.summaries.find((summary) => summary.id === runId)?.interrupted ?? false);
    this.loaded.set(runId, view);
    return view;
  }

  /** Re-reads the run folders (finished runs' records may have changed on disk). */
  async refresh(): Promise<void> {
    if (!this.client) {
      this.summaries = [];
    } else {
      try {
        this.summaries = await this.client.listRuns({ configPath: this.configPath(), limit: LIST_LIMIT });
      } catch {
        // No config yet, or one that does not load: the config's own diagnostics say why.
        this.summaries = [];
      }
    }
    this.loaded.clear();
    this.scheduleChange();
  }

  private onEvents({ runId, events }: RunEventParams): void {
    let view = this.live.get(runId);
    if (!view) {
      view = startingView(runId, '', '', Date.now());
      this.live.set(runId, view);
    }
    applyEvents(view, events, Date.now());
    this.batch.fire({ view, events });
    if (events.some((event) => event.kind === 'run-end')) {
      this.ended.fire({ view, events });
      void this.refresh();
    }
    this.scheduleChange();
  }

  private scheduleChange(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire();
    }, REFRESH_INTERVAL_MS);
  }

  dispose(): void {
    this.subscription?.dispose();
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
    this.ended.dispose();
    this.batch.dispose();
  }
}
