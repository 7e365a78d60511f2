// The end of each worker's streamed text, for runs under way: a run view opened mid-answer starts with
// what was streamed before it opened. The text exists nowhere else until the answer is kept (then the
// transcript has it), so without this a view opened late showed nothing until the worker's next delta.
import type { RunEvent } from '../../../server/src/protocol';

/** As much as the run view shows of a stream (media/transcript.js keeps the same tail). */
export const STREAM_TAIL_CHARS = 4000;

export class LiveStreams {
  private readonly runs = new Map<string, Map<number, string>>();

  /** A batch of a run's events: deltas are kept, a restart or the subtask's end clears, the run's end forgets. */
  add(runId: string, events: readonly RunEvent[]): void {
    for (const event of events) {
      if (event.kind === 'run-end') {
        this.runs.delete(runId);
        continue;
      }
      if (event.kind !== 'text-delta' && event.kind !== 'text-restart' && event.kind !== 'subtask-end') continue;
      let tails = this.runs.get(runId);
      if (event.kind !== 'text-delta') {
        tails?.delete(event.subtask);
        continue;
      }
      if (!tails) this.runs.set(runId, (tails = new Map()));
      const text = (tails.get(event.subtask) ?? '') + event.text;
      tails.set(event.subtask, text.length > STREAM_TAIL_CHARS ? text.slice(-STREAM_TAIL_CHARS) : text);
    }
  }

  /** What the run's workers are streaming now, as the deltas that would show it. */
  of(runId: string): { subtask: number; text: string }[] {
    return [...(this.runs.get(runId) ?? [])].map(([subtask, text]) => ({ subtask, text }));
  }
}
