// The LSP header read strictly, and the reader that frames stdin with it.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Message } from 'vscode-languageserver/node';
import { MAX_HEADER_BYTES, MAX_MESSAGE_BYTES, readHeader, type HeaderRead } from '../../../server/src/lsp/message-framing';
import { FramingError, MessageBodyError, StrictMessageReader, TruncatedMessageError } from '../../../server/src/lsp/strict-message-reader';

const read = (text: string): HeaderRead => readHeader(Buffer.from(text, 'latin1'));
const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('reading an LSP header', () => {
  it('reads Content-Length, in any case, with other headers and leading zeros', () => {
    assert.deepEqual(read('Content-Length: 12\r\n\r\n{"a":1}'), { kind: 'header', headerBytes: 22, contentLength: 12 });
    const withType = 'content-length:7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n';
    assert.deepEqual(read(`${withType}{"a":1}`), { kind: 'header', headerBytes: withType.length, contentLength: 7 });
    assert.deepEqual(read('Content-Length: 007\r\n\r\n'), { kind: 'header', headerBytes: 23, contentLength: 7 });
    assert.deepEqual(read(`Content-Length: ${MAX_MESSAGE_BYTES}\r\n\r\n`).kind, 'header');
  });

  it('waits for more of a header that is right so far', () => {
    for (const prefix of ['', 'C', 'Content-Len', 'Content-Length', 'Content-Length: 1', 'Content-Length: 12\r', 'Content-Length: 12\r\n', 'Content-Length: 12\r\n\r']) {
      assert.deepEqual(read(prefix), { kind: 'incomplete' }, JSON.stringify(prefix));
    }
  });

  const malformed: [string, string, RegExp][] = [
    ['a length that is not a number', 'Content-Length: abc\r\n\r\n', /Content-Length "abc" is not a whole number of bytes/],
    ['a number followed by garbage', 'Content-Length: 12abc\r\n\r\n', /"12abc" is not a whole number/],
    ['a negative length', 'Content-Length: -5\r\n\r\n', /"-5" is not a whole number/],
    ['a fraction', 'Content-Length: 2.5\r\n\r\n', /"2.5" is not a whole number/],
    ['an empty length', 'Content-Length: \r\n\r\n', /"" is not a whole number/],
    ['a length over the limit', `Content-Length: ${MAX_MESSAGE_BYTES + 1}\r\n\r\n`, new RegExp(`${MAX_MESSAGE_BYTES + 1} is over the limit of ${MAX_MESSAGE_BYTES} bytes`)],
    ['a length past 2^53', 'Content-Length: 99999999999999999999999\r\n\r\n', /99999999999999999999999 is over the limit/],
    ['no Content-Length', 'Content-Type: application/vscode-jsonrpc\r\n\r\n{}', /the header has no Content-Length/],
    ['an empty header', '\r\n\r\n', /the header has no Content-Length/],
    ['Content-Length twice', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n', /gives Content-Length 2 times/],
    ['a line without a colon', 'garbage\r\nContent-Length: 2\r\n\r\n{}', /header line "garbage" is not "Name: value"/],
    ['a body with no header', '{"jsonrpc":"2.0"}', /"\{" at byte 0 cannot be in a header name/],
    ['binary before the header', 'xx\u0000\u00ffContent-Length: 2\r\n\r\n', /byte 0x00 at 2 cannot be in a header/],
    ['a byte above ASCII in a value', 'Content-Length: 1\u00e9\r\n\r\n', /byte 0xe9 at 17/],
    ['lines ended by LF alone', 'Content-Length: 2\n\n{}', /ends in LF without CR/],
    ['a CR not followed by LF', 'Content-Length: 2\r\r\n', /ends in CR without LF/],
    ['a line starting with a colon', ': 2\r\n\r\n', /no name before ":"/],
    ['a header that never ends', `X-Padding: ${'a'.repeat(MAX_HEADER_BYTES)}`, new RegExp(`no end of the header within ${MAX_HEADER_BYTES} bytes`)],
  ];
  for (const [name, text, reason] of malformed) {
    it(`refuses ${name}`, () => {
      const result = read(text);
      assert.equal(result.kind, 'malformed');
      assert.match(result.kind === 'malformed' ? result.reason : '', reason);
    });
  }

  it('refuses garbage as soon as its first wrong byte arrives, before any end of line', () => {
    assert.equal(read('{').kind, 'malformed');
    assert.equal(read('Content-Length: 5\n').kind, 'malformed');
  });
});

interface Received {
  messages: Message[];
  errors: Error[];
  closed: boolean;
}

function listen(limits?: { maxHeaderBytes: number; maxMessageBytes: number }): { input: PassThrough; received: Received } {
  const input = new PassThrough();
  const reader = new StrictMessageReader(input, limits);
  const received: Received = { messages: [], errors: [], closed: false };
  reader.onError((error) => received.errors.push(error));
  reader.onClose(() => (received.closed = true));
  reader.listen((message) => received.messages.push(message));
  return { input, received };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the strict message reader', () => {
  it('reads messages split at every byte and many in one chunk, in order', async () => {
    const bodies = [{ jsonrpc: '2.0', id: 1, method: 'a' }, { jsonrpc: '2.0', method: 'b', params: { text: 'héllo ✓' } }, { jsonrpc: '2.0', id: 2, result: null }];
    const stream = Buffer.from(bodies.map((body) => frame(JSON.stringify(body))).join(''));
    const byteByByte = listen();
    for (const byte of stream) byteByByte.input.write(Buffer.from([byte]));
    const atOnce = listen();
    atOnce.input.write(stream);
    await flush();
    assert.deepEqual(byteByByte.received.messages, bodies);
    assert.deepEqual(atOnce.received.messages, bodies);
    assert.deepEqual([...byteByByte.received.errors, ...atOnce.received.errors], []);
  });

  it('reports a body that is not JSON or not UTF-8, and reads the next message', async () => {
    const { input, received } = listen();
    input.write('Content-Length: 5\r\n\r\nhello');
    input.write(Buffer.concat([Buffer.from('Content-Length: 2\r\n\r\n'), Buffer.from([0xc3, 0x28])]));
    input.write(frame('{"jsonrpc":"2.0","method":"next"}'));
    await flush();
    assert.deepEqual(received.errors.map((error) => [error instanceof MessageBodyError, error.message.split(':')[0]]), [[true, 'the body is not JSON'], [true, 'the body is not UTF-8']]);
    assert.deepEqual(received.messages, [{ jsonrpc: '2.0', method: 'next' }]);
  });

  it('stops reading at a broken header: nothing after it is taken for a message', async () => {
    const { input, received } = listen();
    input.write('Content-Length: -5\r\n\r\n');
    input.write(frame('{"jsonrpc":"2.0","method":"after"}'));
    await flush();
    assert.equal(received.errors.length, 1);
    assert.ok(received.errors[0] instanceof FramingError);
    assert.deepEqual(received.messages, []);
  });

  it('refuses a length over its limit when the header ends, before any of the body arrives', async () => {
    const { input, received } = listen({ maxHeaderBytes: MAX_HEADER_BYTES, maxMessageBytes: 1000 });
    input.write('Content-Length: 1001\r\n\r\n');
    await flush();
    assert.match(received.errors[0]?.message ?? '', /1001 is over the limit of 1000 bytes/);
    const atLimit = listen({ maxHeaderBytes: MAX_HEADER_BYTES, maxMessageBytes: 1000 });
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'm', params: 'x'.repeat(1000 - 42) });
    atLimit.input.write(frame(body));
    await flush();
    assert.equal(Buffer.byteLength(body), 1000);
    assert.deepEqual([atLimit.received.messages.length, atLimit.received.errors], [1, []]);
  });

  it('says so when the input ends inside a message, then closes', async () => {
    const { input, received } = listen();
    input.end('Content-Length: 10\r\n\r\n{"a"');
    await new Promise((resolve) => input.on('close', resolve));
    await flush();
    assert.ok(received.errors[0] instanceof TruncatedMessageError);
    assert.match(received.errors[0].message, /ended 4 bytes into a message of 10/);
    assert.equal(received.closed, true);
  });
});
