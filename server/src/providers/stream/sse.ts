// Server-sent events as the four providers use them (wire-formats §0.3): `data:` lines joined with
// \n, an optional `event:` name, comments ignored, a blank line ending each event. A body that ends
// inside an unfinished event is reported, never passed off as complete.
import { LineSplitter } from './lines';

export interface SseEvent {
  /** `message` unless the server named it (only Anthropic does). */
  event: string;
  data: string;
}

export class StreamCutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamCutError';
  }
}

export class SseDecoder {
  private readonly lines = new LineSplitter();
  private event = 'message';
  private data: string[] = [];
  private openEvent = false;

  /** The events this chunk completes. */
  push(chunk: Uint8Array): SseEvent[] {
    const events: SseEvent[] = [];
    for (const line of this.lines.push(chunk)) this.line(line, events);
    return events;
  }

  /** Call at the end of the body: throws when it stopped inside an event. */
  end(): void {
    const rest = this.lines.end();
    if (rest !== '') this.line(rest, []);
    if (this.openEvent) throw new StreamCutError('the stream ended in the middle of an event');
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.data.length > 0) events.push({ event: this.event, data: this.data.join('\n') });
      this.event = 'message';
      this.data = [];
      this.openEvent = false;
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    this.openEvent = true;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}
