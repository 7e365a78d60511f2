// Failed provider calls dumped under the log folder's failed_requests/: what a file holds, that no
// secret reaches it (from the body, the URL or the headers), and that files and their size are capped.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { secretValues } from '../../../server/src/config/secret-names';
import { FailedRequestLog, failedRequestDump, type DumpLimits } from '../../../server/src/providers/failed-request-log';
import { ProviderError } from '../../../server/src/providers/provider-error';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { runEt } from '../../helpers/run-cli';

const API_KEY = 'proj-fakeKEY-0123456789abcdefghij';
const HEADER_SECRET = 'hdr-fake-secret-9876543210';
const PATH_TOKEN = 'gw-path-token-55555';

function failedCall(body: unknown, responseBody = '{"error":{"message":"bad","type":"invalid_request_error"}}'): ProviderError {
  const error = new ProviderError('cloud', 'openai', { errorClass: 'bad_request', action: 'fail', message: 'bad' }, 400);
  error.request = { url: 'https://api.example/v1/chat/completions', body };
  error.responseBody = responseBody;
  return error;
}

describe('failed-request dumps', () => {
  it('dumps a failed call end to end (et ask): time, provider, model, URL, request, status and response, with no secret from the body, URL or headers', async () => {
    const fake = await FakeOpenAi.start();
    try {
      const directory = mkdtempSync(path.join(tmpdir(), 'et-dumps-'));
      const config = path.join(directory, 'electrictown.yaml');
      writeFileSync(config, `providers:\n  cloud:\n    type: openai\n    base_url: "${fake.origin}/$GATEWAY_TOKEN/v1"\n    api_key: $ET_DUMP_KEY\n    headers: { X-Gateway-Key: $ET_DUMP_HEADER }\nmodels:\n  gpt: { provider: cloud, model: gpt-4.1-mini }\nroles:\n  polecat: { model: gpt }\ndefaults: { log_dir: logs }\n`);
      // The server echoes the key whole, as a misconfigured proxy might; the prompt carries it too.
      const echo = JSON.stringify({ error: { message: `Incorrect API key provided: ${API_KEY}. Header was ${HEADER_SECRET}`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
      fake.reply({ kind: 'error', status: 401, body: echo });
      const env = { ET_DUMP_KEY: API_KEY, ET_DUMP_HEADER: HEADER_SECRET, GATEWAY_TOKEN: PATH_TOKEN };
      const result = await runEt(['--config', config, 'ask', `Why does ${API_KEY} not work at /${PATH_TOKEN}/?`], { cwd: directory, env });
      assert.equal(result.exitCode, 1);
      // The request really carried every secret.
      assert.equal(fake.requests[0].headers.authorization, `Bearer ${API_KEY}`);
      assert.equal(fake.requests[0].headers['x-gateway-key'], HEADER_SECRET);
      assert.equal(fake.requests[0].url, `/${PATH_TOKEN}/v1/chat/completions`);
      const folder = path.join(directory, 'logs', 'failed_requests');
      const files = readdirSync(folder);
      assert.equal(files.length, 1);
      assert.match(files[0], /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-cloud-[0-9a-f]{6}\.json$/);
      const text = readFileSync(path.join(folder, files[0]), 'utf8');
      for (const secret of [API_KEY, HEADER_SECRET, PATH_TOKEN, 'fakeKEY']) assert.ok(!text.includes(secret), `${secret} leaked into ${text}`);
      assert.ok(!/authorization|x-gateway-key|headers/i.test(text), text);
      const dump = JSON.parse(text);
      assert.deepEqual(Object.keys(dump), ['time', 'provider', 'providerType', 'model', 'url', 'errorClass', 'message', 'request', 'response']);
      assert.deepEqual([dump.provider, dump.providerType, dump.model, dump.errorClass], ['cloud', 'openai', 'gpt-4.1-mini', 'auth']);
      assert.equal(dump.url, `${fake.origin}/[redacted]/v1/chat/completions`);
      assert.ok(Math.abs(Date.parse(dump.time) - Date.now()) < 60_000);
      assert.deepEqual(dump.request.messages.at(-1), { role: 'user', content: 'Why does [redacted] not work at /[redacted]/?' });
      assert.equal(dump.request.model, 'gpt-4.1-mini');
      assert.equal(dump.response.status, 401);
      assert.equal(JSON.parse(dump.response.body).error.message, 'Incorrect API key provided: [redacted]. Header was [redacted]');
    } finally {
      await fake.stop();
    }
  });

  it('dumps every failed attempt of a request, and nothing for the one that answered', async () => {
    const fake = await FakeOpenAi.start();
    try {
      const directory = mkdtempSync(path.join(tmpdir(), 'et-dumps-'));
      const config = path.join(directory, 'electrictown.yaml');
      writeFileSync(config, `providers:\n  cloud: { type: openai, base_url: "${fake.baseUrl}", api_key: $ET_DUMP_KEY }\nmodels:\n  gpt: { provider: cloud, model: gpt-4.1-mini }\nroles:\n  polecat: { model: gpt }\ndefaults: { log_dir: logs }\n`);
      const overloaded = JSON.stringify({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } });
      fake.reply({ kind: 'error', status: 500, body: overloaded, headers: { 'retry-after-ms': '10' } }, { kind: 'stream-error', afterChunks: 2, error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } }, { kind: 'answer', text: 'Seven.' });
      const result = await runEt(['--config', config, 'ask', 'Name a prime.'], { cwd: directory, env: { ET_DUMP_KEY: API_KEY } });
      assert.equal(result.stdout, 'Seven.\n');
      const folder = path.join(directory, 'logs', 'failed_requests');
      const dumps = readdirSync(folder).sort().map((file) => JSON.parse(readFileSync(path.join(folder, file), 'utf8')));
      assert.deepEqual(dumps.map((dump) => [dump.errorClass, dump.response.status]), [['server', 500], ['server', 200]]);
      // The in-stream error is the response body of the second.
      assert.equal(JSON.parse(dumps[1].response.body).error.type, 'server_error');
      assert.equal(dumps[1].request.stream, true);
    } finally {
      await fake.stop();
    }
  });

  it('keeps what was sent and received out of the error when it is serialised or inspected', async () => {
    const error = failedCall({ messages: [{ role: 'user', content: `my key is ${API_KEY}` }] }, `echo ${API_KEY}`);
    const { inspect } = await import('node:util');
    for (const text of [JSON.stringify(error), inspect(error, { depth: 10 }), String(error)]) assert.ok(!text.includes(API_KEY), text);
    assert.equal(error.responseBody, `echo ${API_KEY}`);
  });

  it('dumps nothing for a call that never reached the wire', () => {
    const notSent = new ProviderError('cloud', 'openai', { errorClass: 'auth', action: 'fail', message: 'needs $KEY, which is not set' });
    assert.equal(failedRequestDump({ error: notSent, modelId: 'gpt', time: new Date() }, []), undefined);
  });

  it('cuts long texts after removing secrets, so a cut never leaves part of a secret', () => {
    const limits: DumpLimits = { files: 10, stringChars: 100, fileChars: 100_000 };
    // The key straddles where the cut falls (character 50).
    const prompt = `${'a'.repeat(40)}${API_KEY}${'b'.repeat(500)}`;
    const text = failedRequestDump({ error: failedCall({ messages: [{ role: 'user', content: prompt }] }, 'x'.repeat(1000)), modelId: 'gpt', time: new Date() }, [API_KEY], limits) ?? '';
    const dump = JSON.parse(text);
    assert.ok(!text.includes('fakeKEY') && !text.includes(API_KEY.slice(0, 12)), text);
    assert.match(dump.request.messages[0].content, /^a{40}\[redacted\]b*\n…\[\d+ characters cut\]…\nb{50}$/);
    assert.equal(dump.response.body.length < 200, true);
  });

  it('keeps a file under its size limit when a request has many messages', () => {
    const limits: DumpLimits = { files: 10, stringChars: 1000, fileChars: 20_000 };
    const messages = Array.from({ length: 200 }, (_, index) => ({ role: 'user', content: `message ${index} ${'z'.repeat(500)}` }));
    const text = failedRequestDump({ error: failedCall({ model: 'gpt', messages }), modelId: 'gpt', time: new Date() }, [], limits) ?? '';
    assert.ok(text.length <= limits.fileChars, `${text.length} characters`);
    const dump = JSON.parse(text);
    assert.equal(dump.request.cut, true);
    assert.ok(dump.request.characters > 100_000);
    assert.ok(dump.request.start.startsWith('{"model":"gpt","messages":[{"role":"user","content":"message 0 '));
    assert.equal(dump.response.status, 400);
  });

  it('keeps only the newest files', async () => {
    const directory = path.join(mkdtempSync(path.join(tmpdir(), 'et-dumps-')), 'failed_requests');
    let clock = Date.parse('2026-11-02T10:00:00Z');
    const errors: unknown[] = [];
    const log = new FailedRequestLog(directory, [], (error) => errors.push(error), { files: 3, stringChars: 1000, fileChars: 10_000 }, () => new Date((clock += 1000)));
    for (let index = 0; index < 5; index++) log.record(failedCall({ n: index }), 'gpt');
    await log.settled();
    const kept = readdirSync(directory).sort();
    assert.deepEqual(kept.map((file) => JSON.parse(readFileSync(path.join(directory, file), 'utf8')).request.n), [2, 3, 4]);
    assert.deepEqual(errors, []);
  });

  it('reports a folder it cannot write to, and the call is not affected', async () => {
    const blocker = path.join(mkdtempSync(path.join(tmpdir(), 'et-dumps-')), 'a-file');
    writeFileSync(blocker, '');
    const errors: unknown[] = [];
    const log = new FailedRequestLog(path.join(blocker, 'failed_requests'), [], (error) => errors.push(error));
    log.record(failedCall({}), 'gpt');
    await log.settled();
    assert.equal(errors.length, 1);
  });

  it('treats keys, header values and the variables a base_url reads as secrets', () => {
    const config = { providers: { a: { type: 'openai' as const, api_key: '$KEY', headers: { 'X-Key': 'Bearer ${HEADER}' }, base_url: 'https://$HOST/$TOKEN/v1' }, b: { type: 'ollama' as const } } };
    assert.deepEqual(secretValues(config, { KEY: 'k-1', HEADER: 'h-2', HOST: 'gw.example', TOKEN: 't-3' }).sort(), ['Bearer h-2', 'gw.example', 'k-1', 't-3']);
  });
});
