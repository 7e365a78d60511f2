// Run events on their way to a client, in batches: at most one batch per interval whatever the number
// of workers, with each subtask's streamed text merged into one delta per batch. A subtask's text stays
// in order with that subtask's other events (its delta goes out before its `subtask-end`); `run-end`
// goes out at once.
import type { RunEvent } from '../protocol';

export const EVENT_BATCH_MS = 50;

export class EventBatcher {
  private queue: RunEvent[] = [];
  /** Text streamed since the last batch, by subtask, in the order subtasks first spoke. */
  private readonly text = new Map<number, string[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (events: RunEvent[]) => void,
    private readonly intervalMs = EVENT_BATCH_MS,
  ) {}

  push(event: RunEvent): void {
    if (event.kind === 'text-delta') {
      const parts = this.text.get(event.subtask);
      if (parts) parts.push(event.text);
      else this.text.set(event.subtask, [event.text]);
    } else {
      // `run-end` comes last: every subtask's pending text goes out before it, in the same batch.
      if (event.kind === 'run-end') for (const subtask of [...this.text.keys()]) this.queueText(subtask);
      else if ('subtask' in event && event.subtask !== undefined) this.queueText(event.subtask);
      this.queue.push(event);
      if (event.kind === 'run-end') return this.flush();
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  private queueText(subtask: number): void {
    const parts = this.text.get(subtask);
    if (!parts) return;
    this.text.delete(subtask);
    this.queue.push({ kind: 'text-delta', subtask, text: parts.join('') });
  }

  /** Sends everything held back; a client about to be told the run ended gets all before it. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const subtask of [...this.text.keys()]) this.queueText(subtask);
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.send(batch);
  }
}
