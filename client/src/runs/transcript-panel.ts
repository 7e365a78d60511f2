// The run view: one editor tab per run showing what every agent said (media/transcript.js renders it).
// The extension host only forwards: pages of `electrictown/getTranscript` as the view scrolls down, the
// end of each worker's streamed text (gathered, at most every 100 ms) and the `transcript-append`
// cursor as the run's events arrive. Nothing is parsed or rendered here. Strict CSP: this extension's
// script (with a nonce) and stylesheet only; the data goes in messages, never into the HTML. A server
// that stops, or a run folder that disappears, is said in the view, which keeps what it showed.
import * as vscode from 'vscode';
import type { RunEvent, TranscriptPage } from '../../../server/src/protocol';
import type { ServerConnection } from '../connection/server-connection';
import type { ViewSamples } from './view-timings';
import { StreamTails, type StreamPost } from './stream-tails';
import { LiveStreams, STREAM_TAIL_CHARS } from './live-streams';

/** What the view reported it rendered last: for the in-editor tests, and nothing else. */
export interface RenderedState {
  status: string;
  entries: number;
  calls: number;
  /** Subtasks whose streamed text is on screen, with its length. */
  streaming: Record<string, number>;
  notice: string;
  more: boolean;
  /** The entry scrolled to by the last reveal, as its element id. */
  revealed: string;
}

type ToView =
  | { type: 'page'; page: TranscriptPage }
  | ({ type: 'stream' } & StreamPost)
  | { type: 'reveal'; subtask: number | undefined }
  | { type: 'notice'; text: string }
  | { type: 'ping' }
  | { type: 'timings' };

type FromView =
  | { type: 'ready' }
  | { type: 'more' }
  | { type: 'rendered'; state: RenderedState }
  | { type: 'painted' }
  | { type: 'pong' }
  | { type: 'timings'; samples: ViewSamples };

/** How often the view of a running run asks for what is new, besides the run's own events. */
const POLL_MS = 2000;
/** Streamed text is posted at most this often, each stream's end only (the view shows no more). */
const STREAM_POST_MS = 100;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

class TranscriptPanel {
  private cursor = 0;
  private more = true;
  private loading: Promise<void> | undefined;
  /** A `transcript-append` came while a page was loading: load again after it. */
  private again = false;
  private ready = false;
  private pendingReveal: number | undefined | null = null;
  private gone = false;
  private poll: NodeJS.Timeout | undefined;
  private readonly streams = new StreamTails(STREAM_TAIL_CHARS);
  private streamPost: NodeJS.Timeout | undefined;
  rendered: RenderedState | undefined;
  /** When a measured view had painted its first page (the extension host's performance.now()). */
  paintedAt: number | undefined;
  private replies: ((message: FromView) => void)[] = [];
  readonly disposed: Promise<void>;

  constructor(
    readonly runId: string,
    readonly panel: vscode.WebviewPanel,
    private readonly client: () => ServerConnection | undefined,
    private readonly configPath: () => string | undefined,
    /** What the run's workers streamed before this view was ready. */
    private readonly streamedSoFar: () => { subtask: number; text: string }[],
  ) {
    panel.webview.onDidReceiveMessage((message: FromView) => this.received(message));
    this.disposed = new Promise((resolve) =>
      panel.onDidDispose(() => {
        this.stopPolling();
        clearTimeout(this.streamPost);
        resolve();
      }),
    );
  }

  private post(message: ToView): void {
    void this.panel.webview.postMessage(message);
  }

  private received(message: FromView): void {
    if (message?.type === 'ready') {
      this.ready = true;
      // Before the first page: a subtask whose answer the page already holds drops its stream again.
      // What was gathered for a post is in the live streams too: dropped, so no text comes twice.
      this.streams.take();
      const streamed = this.streamedSoFar();
      if (streamed.length > 0) this.post({ type: 'stream', ended: [], restarts: [], deltas: streamed });
      void this.load();
      if (this.pendingReveal !== null) this.post({ type: 'reveal', subtask: this.pendingReveal });
    } else if (message?.type === 'more') void this.load();
    else if (message?.type === 'rendered') this.rendered = message.state;
    else if (message?.type === 'painted') this.paintedAt ??= performance.now();
    else if (message?.type === 'pong' || message?.type === 'timings') this.replies.shift()?.(message);
  }

  /** Asks a measured view and waits for its answer (one at a time: answers come in order). */
  ask(type: 'ping' | 'timings'): Promise<FromView> {
    return new Promise((resolve) => {
      this.replies.push(resolve);
      this.post({ type });
    });
  }

  reveal(subtask: number | undefined): void {
    this.panel.reveal(undefined, false);
    if (this.ready) this.post({ type: 'reveal', subtask });
    else this.pendingReveal = subtask;
  }

  /** The next page from the cursor; one at a time, and once more if more was announced meanwhile. */
  load(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        const client = this.client();
        if (!client || this.gone) return;
        try {
          const page = await client.getTranscript({ runId: this.runId, configPath: this.configPath(), cursor: this.cursor });
          this.cursor = page.cursor;
          this.more = page.more;
          this.post({ type: 'page', page });
          this.pollWhileRunning(page);
        } catch (error) {
          // A deleted run folder, a server that went away mid-request: said, and what is shown stays.
          this.gone = /no longer exists|no run /.test(messageOf(error));
          this.post({ type: 'notice', text: this.gone ? `This run's folder is gone: ${messageOf(error)}. What is shown is what was read before.` : `The transcript could not be read: ${messageOf(error)}` });
          return;
        }
      } while (this.again);
    })().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /**
   * A running run's view asks again now and then: a run this window did not start (`et run` in a
   * terminal, another window) sends it no events.
   */
  private pollWhileRunning(page: TranscriptPage): void {
    clearTimeout(this.poll);
    this.poll = page.run.status === 'running' && !page.more ? setTimeout(() => void this.load(), POLL_MS) : undefined;
  }

  stopPolling(): void {
    clearTimeout(this.poll);
    this.poll = undefined;
  }

  /**
   * A batch of the run's events: the streamed text goes on to the view, gathered (see stream-tails.ts);
   * an append past what it has is loaded.
   */
  events(events: readonly RunEvent[]): void {
    let appended = false;
    let runEnded = false;
    for (const event of events) {
      if (event.kind === 'text-delta') this.streams.delta(event.subtask, event.text);
      else if (event.kind === 'text-restart') this.streams.restart(event.subtask);
      // A subtask's stream goes when it ends, not only when its answer's entry is loaded: a view still
      // paging down would otherwise keep every finished worker's stream, pushing the list's end (and
      // so the next page) out of reach.
      else if (event.kind === 'subtask-end') this.streams.end(event.subtask);
      else if (event.kind === 'transcript-append' && event.cursor > this.cursor) appended = true;
      else if (event.kind === 'run-end') runEnded = true;
    }
    if (runEnded) {
      clearTimeout(this.streamPost);
      this.streamPost = undefined;
      const end = this.streams.takeRunEnd();
      if (this.ready) this.post({ type: 'stream', ...end });
    } else if (!this.streams.empty && !this.streamPost) {
      this.streamPost = setTimeout(() => {
        this.streamPost = undefined;
        // Until the view is ready, what streams reaches it as the live streams it is given then.
        const post = this.streams.take();
        if (this.ready) this.post({ type: 'stream', ...post });
      }, STREAM_POST_MS);
    }
    if (!this.ready) return;
    // Only a view that has read to the end follows: one still paging down gets there by scrolling. The
    // run's end is read either way (the next page, with the run's header), so no view stays "running".
    if ((appended && !this.more) || runEnded) void this.load();
  }

  serverStopped(): void {
    this.stopPolling();
    this.post({ type: 'notice', text: 'The Electrictown server stopped: this view shows what it had read. It reloads when the server is back.' });
  }

  serverBack(): void {
    if (this.gone) return;
    this.post({ type: 'notice', text: '' });
    void this.load();
  }
}

export class TranscriptPanels implements vscode.Disposable {
  static readonly viewType = 'electrictown.transcript';
  private readonly panels = new Map<string, TranscriptPanel>();
  private readonly live = new LiveStreams();
  private readonly subscriptions: vscode.Disposable[] = [];
  /**
   * Benchmarks only: views opened while this is on time themselves (see view-timings.ts). Off, the
   * view's script measures nothing and sends nothing more.
   */
  measure = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: () => ServerConnection | undefined,
    private readonly configPath: () => string | undefined,
    onRunEvents: vscode.Event<{ view: { id: string }; events: readonly RunEvent[] }>,
  ) {
    this.subscriptions.push(
      onRunEvents(({ view, events }) => {
        this.live.add(view.id, events);
        this.panels.get(view.id)?.events(events);
      }),
    );
  }

  /** Opens the run's tab, or brings it forward, scrolled to the subtask when one is given. */
  open(runId: string, title: string, subtask?: number): void {
    let panel = this.panels.get(runId);
    if (!panel) {
      panel = new TranscriptPanel(runId, this.createPanel(title), this.client, this.configPath, () => this.live.of(runId));
      this.panels.set(runId, panel);
      const opened = panel;
      void opened.disposed.then(() => {
        if (this.panels.get(runId) === opened) this.panels.delete(runId);
      });
    }
    panel.reveal(subtask);
  }

  /** The server (re)started, or stopped (undefined). */
  serverChanged(client: ServerConnection | undefined): void {
    for (const panel of this.panels.values()) {
      if (client) panel.serverBack();
      else panel.serverStopped();
    }
  }

  /** What the run's view last rendered (tests only). */
  rendered(runId: string): RenderedState | undefined {
    return this.panels.get(runId)?.rendered;
  }

  /** When the run's measured view had painted its first page, on the extension host's clock (benchmarks only). */
  paintedAt(runId: string): number | undefined {
    return this.panels.get(runId)?.paintedAt;
  }

  /** The measured view's round trip of an empty message, in ms (benchmarks only). */
  async ping(runId: string): Promise<number> {
    const panel = this.panels.get(runId);
    if (!panel) throw new Error(`no run view is open for ${runId}`);
    const started = performance.now();
    await panel.ask('ping');
    return performance.now() - started;
  }

  /** The measured view's own samples per message type (benchmarks only). */
  async timings(runId: string): Promise<ViewSamples> {
    const panel = this.panels.get(runId);
    if (!panel) throw new Error(`no run view is open for ${runId}`);
    const reply = await panel.ask('timings');
    return reply.type === 'timings' ? reply.samples : {};
  }

  private createPanel(title: string): vscode.WebviewPanel {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(TranscriptPanels.viewType, `Run: ${title.length > 40 ? `${title.slice(0, 39)}…` : title}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: true });
    const { webview } = panel;
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'transcript.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'transcript.css'));
    webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="${style}"><title>Run</title></head>
<body${this.measure ? ' data-measure' : ''}><header id="run" aria-live="polite"><p class="muted">Reading the run…</p></header><p id="notice" role="status" hidden></p><main id="entries"></main><p id="sentinel" class="muted"></p><section id="live" aria-label="Streaming now"></section><script nonce="${nonce}" src="${script}"></script></body></html>`;
    return panel;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const panel of this.panels.values()) {
      panel.stopPolling();
      panel.panel.dispose();
    }
    this.panels.clear();
  }
}
