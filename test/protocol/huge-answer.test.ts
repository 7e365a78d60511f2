// A server that streams a 100 MB answer (hostile or broken): the answer is cut at MAX_ANSWER_CHARS and
// said so, the body is not read further, and `et ask` stays within a 256 MB heap. One line with no end
// past 16M characters is refused as malformed. (A whole body past 32 MB: test/unit/providers/http-limits.test.ts.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVER_BUNDLE } from '../helpers/lsp-process';
import { TEST_HOME } from '../helpers/run-cli';

const MB = 1024 * 1024;

/** Streams `megabytes` of OpenAI deltas (or one endless line), counting what the client read. */
function hugeServer(kind: 'deltas' | 'one-line' | 'whole', megabytes: number): Promise<{ server: Server; url: string; sent: () => number }> {
  let sent = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (kind === 'whole') {
        response.writeHead(200, { 'content-type': 'application/json' });
        const piece = Buffer.alloc(MB, 'x');
        const write = () => {
          while (sent < megabytes * MB) {
            sent += piece.length;
            if (!response.write(piece)) return void response.once('drain', write);
          }
          response.end();
        };
        response.write('{"choices":[{"message":{"content":"');
        return write();
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const delta = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'y'.repeat(64 * 1024) }, finish_reason: null }] })}\n\n`;
      const chunk = kind === 'deltas' ? Buffer.from(delta) : Buffer.alloc(64 * 1024, 'z');
      if (kind === 'one-line') response.write('data: {"choices":[{"delta":{"content":"');
      const write = () => {
        while (sent < megabytes * MB) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', write);
        }
        response.end('data: [DONE]\n\n');
      };
      write();
    });
    response.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, sent: () => sent })));
}

function ask(url: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: number; stderr: string }> {
  const directory = mkdtempSync(path.join(tmpdir(), 'et-huge-'));
  writeFileSync(path.join(directory, 'electrictown.yaml'), `providers:\n  big: { type: openai, base_url: "${url}", api_key: sk-test-000000 }\nroles:\n  polecat: { model: big/huge }\ndefaults:\n  log_dir: logs\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=256', SERVER_BUNDLE, 'ask', 'write a lot'], { cwd: directory, env: { PATH: process.env.PATH, HOME: TEST_HOME } });
    let stdout = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.length));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('an answer of 100 MB', function () {
  this.timeout(120_000);

  it('is cut at 4M characters and said so; the rest is not read, and the heap stays under 256 MB', async () => {
    const { server, url, sent } = await hugeServer('deltas', 100);
    try {
      const result = await ask(url);
      assert.equal(result.signal, null, result.stderr);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout >= 4 * MB && result.stdout < 4 * MB + 1024, `${result.stdout} bytes printed`);
      assert.match(result.stderr, /^note: big\/huge: the answer was cut: the answer passed 4,194,304 characters, past any model's output, and the rest was not read$/m);
      assert.ok(sent() < 60 * MB, `the server got to send ${sent()} bytes: the body was read past the cap`);
    } finally {
      server.close();
    }
  });

  it('refuses one line of 100 MB (a stream, or a whole body sent to a streamed call) as a malformed answer', async () => {
    for (const kind of ['one-line', 'whole'] as const) {
      const { server, url } = await hugeServer(kind, 100);
      try {
        const result = await ask(url);
        assert.equal(result.signal, null, `${kind}: ${result.stderr}`);
        assert.equal(result.code, 1, `${kind}: ${result.stderr}`);
        assert.match(result.stderr, /malformed response: a line of the answer's body passed 16,777,216 characters without ending/);
      } finally {
        server.close();
      }
    }
  });
});
