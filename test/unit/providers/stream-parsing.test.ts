// Stream framing must not depend on where the network splits the bytes.
import assert from 'node:assert/strict';
import { LineSplitter } from '../../../server/src/providers/stream/lines';
import { MalformedStreamError, NdjsonDecoder } from '../../../server/src/providers/stream/ndjson';
import { SseDecoder, StreamCutError, type SseEvent } from '../../../server/src/providers/stream/sse';

const encoder = new TextEncoder();

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  let start = 0;
  return [...cuts, bytes.length].map((cut) => {
    const chunk = bytes.subarray(start, cut);
    start = cut;
    return chunk;
  });
}

/** Feeds the chunks one by one, as the adapters do, and ends the body. */
function parseSse(chunks: Uint8Array[]): SseEvent[] {
  const decoder = new SseDecoder();
  const events = chunks.flatMap((chunk) => decoder.push(chunk));
  decoder.end();
  return events;
}

function parseNdjson(chunks: Uint8Array[]): unknown[] {
  const decoder = new NdjsonDecoder();
  return [...chunks.flatMap((chunk) => decoder.push(chunk)), ...decoder.end()];
}

function splitLines(chunks: Uint8Array[]): string[] {
  const splitter = new LineSplitter();
  const lines = chunks.flatMap((chunk) => splitter.push(chunk));
  const rest = splitter.end();
  return rest === '' ? lines : [...lines, rest];
}

/** Every way to cut the body in two, plus cut at every byte with empty chunks in between. */
function* splits(length: number): Generator<number[]> {
  for (let cut = 0; cut <= length; cut++) yield [cut];
  yield Array.from({ length }, (_, index) => index).flatMap((index) => [index, index]);
}

// Anthropic-style named events, a comment, multi-line data, multi-byte characters.
const ANTHROPIC = 'event: message_start\ndata: {"type":"message_start"}\n\n: keep-alive\n\nevent: content_block_delta\ndata: {"text":"héllo 👋"}\n\ndata: line one\ndata:line two\n\n';
// Gemini frames events with CRLF.
const GEMINI = 'data: {"candidates":[{"content":{"parts":[{"text":"Grüße"}]}}]}\r\n\r\ndata: {"candidates":[{"finishReason":"STOP"}]}\r\n\r\n';

describe('SSE parsing (wire-formats §0.3)', () => {
  it('reads named events, comments, joined data lines and multi-byte text, however the bytes are split', () => {
    const expected: SseEvent[] = [
      { event: 'message_start', data: '{"type":"message_start"}' },
      { event: 'content_block_delta', data: '{"text":"héllo 👋"}' },
      { event: 'message', data: 'line one\nline two' },
    ];
    const bytes = encoder.encode(ANTHROPIC);
    for (const cuts of splits(bytes.length)) assert.deepEqual((parseSse(chunked(bytes, cuts))), expected, `cuts ${cuts.join(',')}`);
  });

  it('reads Gemini’s CRLF framing, even with \\r and \\n in different chunks', () => {
    const bytes = encoder.encode(GEMINI);
    for (const cuts of splits(bytes.length)) {
      const events = (parseSse(chunked(bytes, cuts)));
      assert.deepEqual(events.map((event) => JSON.parse(event.data).candidates[0].finishReason ?? JSON.parse(event.data).candidates[0].content.parts[0].text), ['Grüße', 'STOP']);
    }
  });

  it('reports a body that ends inside an event', () => {
    const cut = ANTHROPIC.slice(0, ANTHROPIC.indexOf('line two'));
    assert.throws(() => parseSse(chunked(encoder.encode(cut), [])), StreamCutError);
    // Ending exactly between events is not a cut.
    assert.equal(((parseSse(chunked(encoder.encode('data: a\n\n'), [])))).length, 1);
  });
});

describe('NDJSON parsing (Ollama)', () => {
  const BODY = '{"message":{"content":"Hé"},"done":false}\n{"message":{"content":"llo"},"done":false}\n{"done":true,"done_reason":"stop"}\n';

  it('yields one object per line, however the bytes are split', () => {
    const bytes = encoder.encode(BODY);
    for (const cuts of splits(bytes.length)) {
      const objects = (parseNdjson(chunked(bytes, cuts)));
      assert.deepEqual(objects, BODY.trim().split('\n').map((line) => JSON.parse(line)));
    }
  });

  it('reports a line cut short, and a line that is not JSON without quoting it', () => {
    assert.throws(() => parseNdjson(chunked(encoder.encode(BODY.slice(0, -10)), [])), StreamCutError);
    assert.throws(() => parseNdjson(chunked(encoder.encode('{"done":false}\nBearer sk-secret garbage\n'), [])), (error: unknown) => error instanceof MalformedStreamError && !error.message.includes('sk-secret'));
  });
});

describe('line splitting', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r', () => {
    assert.deepEqual((splitLines(chunked(encoder.encode('a\nb\r\nc\rd'), [3]))), ['a', 'b', 'c', 'd']);
  });
});
