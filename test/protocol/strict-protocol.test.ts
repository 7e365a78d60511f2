// `et serve --stdio` held to the protocol by a client that gets it wrong: malformed headers and
// bodies, requests before `initialize`, and wrongly typed params for every `electrictown/*` request.
// Each gets an exact error code and a message naming what is wrong, and the server then either
// answers a valid request or — where it cannot find the next message — has said why and exited.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as z from 'zod';
import { PARAMS_SCHEMAS } from '../../server/src/lsp/request-params';
import { MAX_MESSAGE_BYTES } from '../../server/src/lsp/message-framing';
import { FakeOpenAi } from '../helpers/fake-openai';
import { greeterConfig } from '../helpers/greeter-scenario';
import { LspProcess, type JsonRpcMessage } from '../helpers/lsp-process';
import { wrongParams } from '../helpers/wrong-params';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };
const frame = (body: string | Buffer) => Buffer.concat([Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`), Buffer.from(body)]);
const isParseError = (message: JsonRpcMessage) => message.error?.code === -32700;

/** The server still serves: a request after the bad input is answered. */
async function stillServes(server: LspProcess): Promise<void> {
  const hover = await server.reply('textDocument/hover', { textDocument: { uri: 'file:///not-open.yaml' }, position: { line: 0, character: 0 } });
  assert.deepEqual([hover.error, hover.result], [undefined, null]);
}

describe('et serve --stdio: a strict protocol', function () {
  this.timeout(30_000);
  let server: LspProcess;
  afterEach(() => server?.kill());

  describe('a header it cannot read past: a Parse error, the reason on stderr, exit 1', () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}', /Content-Length "abc" is not a whole number of bytes/],
      ['a Content-Length with a number first', 'Content-Length: 2x\r\n\r\n{}', /Content-Length "2x" is not a whole number of bytes/],
      ['a negative Content-Length', 'Content-Length: -5\r\n\r\n{}', /Content-Length "-5" is not a whole number of bytes/],
      ['an absurdly large Content-Length (no body follows; none is waited for)', 'Content-Length: 99999999999999\r\n\r\n', /Content-Length 99999999999999 is over the limit of 67108864 bytes/],
      ['a Content-Length one byte over the limit', `Content-Length: ${MAX_MESSAGE_BYTES + 1}\r\n\r\n`, /over the limit/],
      ['a header block without Content-Length', 'Content-Type: application/vscode-jsonrpc\r\n\r\n{}', /the header has no Content-Length/],
      ['Content-Length given twice', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}', /gives Content-Length 2 times/],
      ['garbage bytes before a header', Buffer.concat([Buffer.from([0x00, 0xff, 0x13]), frame('{"jsonrpc":"2.0","method":"x"}')]), /byte 0x00 at 0 cannot be in a header/],
      ['a garbage line before a header', `garbage\r\n${frame('{}').toString()}`, /header line "garbage" is not "Name: value"/],
      ['a body sent without any header', '{"jsonrpc":"2.0","id":9,"method":"shutdown"}', /"\{" at byte 0 cannot be in a header name/],
      ['header lines ended by LF alone', 'Content-Length: 2\n\n{}', /ends in LF without CR/],
    ];
    for (const [name, bytes, reason] of cases) {
      it(name, async () => {
        server = LspProcess.start();
        await server.initialize();
        server.child.stdin.write(bytes);
        const reply = await server.waitFor(isParseError);
        assert.equal(reply.id, null);
        assert.match(reply.error?.message ?? '', reason);
        assert.equal(await server.exited, 1);
        assert.match(server.stderr, /^electrictown: unrecoverable framing error on stdin \(.+\); exiting\n$/);
        assert.match(server.stderr, reason);
      });
    }
  });

  describe('a message it can skip: an error reply, and the next message is served', () => {
    const cases: [string, Buffer | string, number, RegExp][] = [
      ['a body that is not JSON', frame('hello'), -32700, /^Parse error: the body is not JSON/],
      ['a body cut short inside its JSON', frame('{"jsonrpc": "2.0", "id": 41, "method": '), -32700, /^Parse error: the body is not JSON/],
      ['an empty body', 'Content-Length: 0\r\n\r\n', -32700, /^Parse error: the body is not JSON/],
      ['a body that is not UTF-8', frame(Buffer.from([0x7b, 0xc3, 0x28, 0x7d])), -32700, /^Parse error: the body is not UTF-8$/],
      ['JSON that is not a message', frame('[1,2,3]'), -32600, /^Invalid Request/],
      ['a message without "jsonrpc": "2.0"', frame('{"id":5,"method":"shutdown"}'), -32600, /"jsonrpc" must be "2.0"/],
      ['a request whose id is an object', frame('{"jsonrpc":"2.0","id":{},"method":"shutdown"}'), -32600, /the id of shutdown must be a number or a string/],
    ];
    it('for each of: ' + cases.map(([name]) => name).join('; '), async () => {
      server = LspProcess.start();
      await server.initialize();
      for (const [name, bytes, code, message] of cases) {
        const before = server.messages.length;
        server.child.stdin.write(bytes);
        const reply = await server.waitFor((received) => server.messages.indexOf(received) >= before && received.error !== undefined);
        assert.equal(reply.error?.code, code, name);
        assert.match(reply.error?.message ?? '', message, name);
        await stillServes(server);
      }
      assert.equal(await server.shutdown(), 0);
    });
  });

  describe('with a workspace and a config', () => {
    let openai: FakeOpenAi;
    let directory: string;
    beforeEach(async () => {
      openai = await FakeOpenAi.start();
      directory = mkdtempSync(path.join(tmpdir(), 'et-strict-'));
      writeFileSync(path.join(directory, 'electrictown.yaml'), greeterConfig(openai.baseUrl));
      server = LspProcess.start(KEY);
    });
    afterEach(async () => {
      server.kill();
      await openai.stop();
    });
    const initialize = () => server.initialize({ rootUri: pathToFileURL(directory).href });

    it('answers requests before initialize with ServerNotInitialized, starting no run, and drops notifications', async () => {
      const configPath = path.join(directory, 'electrictown.yaml');
      const early = await server.reply('electrictown/run', { task: 'Build a greeter', configPath, outputDir: 'out' });
      assert.deepEqual(early.error, { code: -32002, message: 'electrictown/run: the server is not initialized; send initialize first' });
      assert.equal((await server.reply('electrictown/listRuns', { configPath })).error?.code, -32002);
      assert.equal((await server.reply('shutdown', null)).error?.code, -32002);
      const earlyUri = pathToFileURL(path.join(directory, 'early.yaml')).href;
      server.notify('textDocument/didOpen', { textDocument: { uri: earlyUri, languageId: 'yaml', version: 1, text: 'providers: 5\n' } });

      await initialize();
      // The dropped notification is logged; a document opened now is checked, the early one never was.
      await server.waitFor((message) => message.method === 'window/logMessage' && /dropped textDocument\/didOpen before initialize/.test((message.params as { message: string }).message));
      const lateUri = pathToFileURL(path.join(directory, 'late.yaml')).href;
      server.notify('textDocument/didOpen', { textDocument: { uri: lateUri, languageId: 'yaml', version: 1, text: 'providers: 5\n' } });
      await server.waitFor((message) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === lateUri);
      assert.equal(server.messages.filter((message) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === earlyUri).length, 0);
      assert.equal(existsSync(path.join(directory, 'logs')), false);
      assert.equal(openai.requests.length, 0);
      assert.deepEqual(await server.request('electrictown/listRuns', {}), []);
    });

    it('exits at exit before initialize', async () => {
      server.notify('exit', null);
      assert.equal(await server.exited, 1);
    });

    it('refuses wrongly typed params of every electrictown/* request with InvalidParams naming the field, and goes on serving', async () => {
      await initialize();
      const bases: Record<string, Record<string, unknown>> = {
        'electrictown/run': { task: 'Build a greeter' },
        'electrictown/cancelRun': { runId: 'abc' },
        'electrictown/getRun': { runId: 'abc' },
        'electrictown/getTranscript': { runId: 'abc' },
        'electrictown/reviewFile': { uri: 'file:///a.md' },
        'electrictown/decideProposals': { runId: 'abc', paths: ['a.md'], decision: 'pending' },
        'electrictown/keepCheckpoint': { runId: 'abc', files: [] },
        'electrictown/session/spawn': { prompt: 'Hello' },
        'electrictown/session/send': { id: 'abc', text: 'more' },
        'electrictown/session/get': { id: 'abc' },
        'electrictown/session/kill': { id: 'abc' },
      };
      const requests = Object.keys(PARAMS_SCHEMAS).filter((method) => method.startsWith('electrictown/') && method !== 'electrictown/workspaceTrust' && method !== 'electrictown/lm/chatChunk');
      assert.equal(requests.length, 18);
      let checked = 0;
      for (const method of requests) {
        const cases = wrongParams(PARAMS_SCHEMAS[method]() as z.ZodObject, bases[method] ?? {});
        const replies = await Promise.all(cases.map(({ params }) => server.reply(method, params)));
        cases.forEach(({ params, message }, index) => {
          const { error } = replies[index];
          assert.deepEqual([error?.code, error?.message], [-32602, message], `${method} ${JSON.stringify(params)}`);
          assert.equal((error?.data as { field?: string } | undefined)?.field, message.slice(0, message.indexOf(':')));
        });
        checked += cases.length;
      }
      assert.ok(checked > 150, `${checked} cases`);
      // What the outside suite sent, word for word.
      const named: [string, unknown, string][] = [
        ['electrictown/run', { task: 'Build it', workers: '8' }, 'workers: expected a number, got string'],
        ['electrictown/run', { task: 5 }, 'task: expected a string, got number'],
        ['electrictown/run', null, 'params: expected an object, got null'],
        ['electrictown/run', [{ task: 'Build it' }], 'params: expected an object, got array'],
        ['electrictown/run', { task: 'Build it', wrokers: 2 }, 'wrokers: unknown field; did you mean workers?'],
        ['electrictown/run', { workers: 2 }, 'task: missing: say what to build (or resume a run)'],
        ['electrictown/cancelRun', { runId: {} }, 'runId: expected a string, got object'],
        ['electrictown/getRun', { runId: {} }, 'runId: expected a string, got object'],
        ['electrictown/models', { configPath: 7 }, 'configPath: expected a string, got number'],
        ['electrictown/costs', { since: 20240101 }, 'since: expected a string, got number'],
      ];
      for (const [method, params, message] of named) assert.deepEqual((await server.reply(method, params)).error, { code: -32602, message, data: { field: message.slice(0, message.indexOf(':')) } });
      // None of it reached a handler: no run started, no model called; valid requests are answered.
      assert.equal(existsSync(path.join(directory, 'logs')), false);
      assert.equal(openai.requests.length, 0);
      assert.deepEqual(await server.request('electrictown/listRuns', {}), []);
      assert.deepEqual(await server.request('electrictown/session/list', undefined), []);
      assert.equal(await server.shutdown(), 0);
    });

    it('turns any other failure into a clean InternalError, and logs it', async () => {
      await initialize();
      const reply = await server.reply('textDocument/hover', { position: { line: 0, character: 0 } });
      assert.deepEqual(reply.error, { code: -32603, message: "textDocument/hover failed: an unexpected error in the server (details are in the server's log)" });
      const logged = await server.waitFor((message) => message.method === 'window/logMessage' && /textDocument\/hover failed unexpectedly/.test((message.params as { message: string }).message));
      assert.match((logged.params as { message: string }).message, /TypeError: Cannot read properties of undefined/);
      await stillServes(server);
    });
  });
});
