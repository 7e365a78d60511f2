// Server-sent events as the four providers use them (wire-formats §0.3): `data:` lines joined with
// \n, an optional `event:` name, comments ignored, a blank line ending each event. A body that ends
// inside an unfinished event is reported, never passed off as complete.
import { splitLines } from './lines';

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

export async function* parseSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  let event = 'message';
  let data: string[] = [];
  let openEvent = false;
  for await (const line of splitLines(chunks)) {
    if (line === '') {
      if (data.length > 0) yield { event, data: data.join('\n') };
      event = 'message';
      data = [];
      openEvent = false;
      continue;
    }
    if (line.startsWith(':')) continue;
    openEvent = true;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  }
  if (openEvent) throw new StreamCutError('the stream ended in the middle of an event');
}
