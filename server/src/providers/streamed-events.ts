// A streamed 200 body as the adapters read it: its events (SSE) or objects (NDJSON), one array per
// network chunk, so a chunk is handled without an await per event. Framing failures become the
// adapter's errors here, once for all providers: a body cut inside an event or line is a
// `truncated_stream`, an event that is not JSON a malformed (retryable) answer.
import { endpointError, malformedAnswer, streamBody, type Endpoint, type HttpResponse } from './http';
import type { ProviderError } from './provider-error';
import { MalformedStreamError, NdjsonDecoder } from './stream/ndjson';
import { LineTooLongError } from './stream/lines';
import { SseDecoder, StreamCutError, type SseEvent } from './stream/sse';

/** A stream that ended before its terminal event: retryable, unless text already went out. */
export function truncatedStream(endpoint: Endpoint, message: string): ProviderError {
  return endpointError(endpoint, { errorClass: 'truncated_stream', action: 'retry', message }, 200);
}

function framingError(endpoint: Endpoint, error: unknown): unknown {
  if (error instanceof StreamCutError) return truncatedStream(endpoint, error.message);
  if (error instanceof MalformedStreamError) return malformedAnswer(endpoint, error.message, 200);
  // No provider sends such a line: this answer is not read further, and the next model is asked.
  if (error instanceof LineTooLongError) return endpointError(endpoint, { errorClass: 'server', action: 'fallback', message: `malformed response: ${error.message}` }, 200);
  return error;
}

export async function* sseBatches(endpoint: Endpoint, response: HttpResponse, signal: AbortSignal): AsyncGenerator<SseEvent[]> {
  const decoder = new SseDecoder();
  try {
    for await (const bytes of streamBody(endpoint, response, signal)) yield decoder.push(bytes);
    decoder.end();
  } catch (error) {
    throw framingError(endpoint, error);
  }
}

export async function* ndjsonBatches(endpoint: Endpoint, response: HttpResponse, signal: AbortSignal): AsyncGenerator<unknown[]> {
  const decoder = new NdjsonDecoder();
  try {
    for await (const bytes of streamBody(endpoint, response, signal)) yield decoder.push(bytes);
    yield decoder.end();
  } catch (error) {
    throw framingError(endpoint, error);
  }
}

/** An event's JSON; anything else is a malformed answer, described by its length only (it may echo secrets). */
export function eventJson(endpoint: Endpoint, event: SseEvent): unknown {
  try {
    return JSON.parse(event.data);
  } catch {
    throw malformedAnswer(endpoint, `a stream event is not JSON (${event.data.length} characters)`, 200);
  }
}
