// The run view's streamed text, gathered on the extension host between two posts to the view: per
// subtask only what the view can show (the end of its text), so a run streaming megabytes posts
// kilobytes. The view applies a post in order: ended streams go, restarted ones are emptied, then each
// subtask's text is appended — or, when `cut`, replaces what it had (the part in between was dropped).

export interface StreamPost {
  /** Subtasks done streaming ('all': the run ended). */
  ended: number[] | 'all';
  restarts: number[];
  deltas: { subtask: number; text: string; cut?: true }[];
}

interface Pending {
  text: string;
  cut: boolean;
}

export class StreamTails {
  private readonly pending = new Map<number, Pending>();
  private ended: number[] = [];
  private restarts = new Set<number>();

  /** `tailChars`: how much of a stream's end the view shows. */
  constructor(private readonly tailChars: number) {}

  get empty(): boolean {
    return this.pending.size === 0 && this.ended.length === 0 && this.restarts.size === 0;
  }

  delta(subtask: number, text: string): void {
    const known = this.pending.get(subtask) ?? { text: '', cut: false };
    known.text += text;
    // Kept up to twice the tail so that slicing is not done per delta.
    if (known.text.length > this.tailChars * 2) {
      known.text = known.text.slice(-this.tailChars);
      known.cut = true;
    }
    this.pending.set(subtask, known);
  }

  /** The text so far is discarded (a retry starts over). */
  restart(subtask: number): void {
    this.pending.delete(subtask);
    this.restarts.add(subtask);
  }

  /** The subtask stopped streaming: what it had pending is dropped with it. */
  end(subtask: number): void {
    this.pending.delete(subtask);
    this.restarts.delete(subtask);
    this.ended.push(subtask);
  }

  /** What to post now, and nothing left pending. */
  take(): StreamPost {
    const deltas = [...this.pending].map(([subtask, { text, cut }]) => (cut || text.length > this.tailChars ? { subtask, text: text.slice(-this.tailChars), cut: true as const } : { subtask, text }));
    const post = { ended: this.ended, restarts: [...this.restarts], deltas };
    this.pending.clear();
    this.ended = [];
    this.restarts = new Set();
    return post;
  }

  /** The run ended: every stream goes, nothing pending is posted. */
  takeRunEnd(): StreamPost {
    this.take();
    return { ended: 'all', restarts: [], deltas: [] };
  }
}
