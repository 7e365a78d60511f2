// A provider that echoes the credentials it was sent — whole, URL-encoded, partly masked, in a header
// value — must never get them printed: not by `et ask` (text or --json), `et models`, the ledger or the
// failed-request dumps.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { redactSecrets, urlCredentials } from '../../../server/src/providers/redact';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { runEt } from '../../helpers/run-cli';

const KEY = 'gsk_9Qx7LmTz2Vb8Np4Rw1Ks6Yd3';
const HEADER = 'team+token/with=odd&chars_41ZQ';

/** Every form of a credential a provider has been seen to echo back. */
const ECHOES = [KEY, encodeURIComponent(HEADER), `${KEY.slice(0, 4)}****************${KEY.slice(-4)}`, HEADER, `${KEY.slice(0, 6)}...${KEY.slice(-4)}`];

describe('credentials a provider echoes back', () => {
  it('are redacted in every form, including a base URL’s user, password and query values', () => {
    const url = 'https://svc:p%40ss-w0rd!@gateway.example.com/v1?api-key=qk_1234567890&region=eu-west-1';
    // A user name as short as `svc` is no secret worth hiding every occurrence of; the rest are.
    assert.deepEqual(urlCredentials(url), ['p@ss-w0rd!', 'qk_1234567890', 'eu-west-1']);
    const text = `auth failed for ${url}; key qk_1234567890 and p%40ss-w0rd! rejected; seen sk-proj-abc***************wxyz and AIzaSyA1234567890abcdef`;
    const redacted = redactSecrets(text, urlCredentials(url));
    for (const secret of ['p%40ss-w0rd', 'p@ss-w0rd', 'qk_1234567890', 'abc***', 'AIzaSyA1234567890']) assert.ok(!redacted.includes(secret), `${secret} in: ${redacted}`);
  });

  it('never reach et ask’s output, its --json events, et models, the ledger or the dumps', async () => {
    const openai = await FakeOpenAi.start();
    try {
      const directory = mkdtempSync(path.join(tmpdir(), 'et-echo-'));
      const config = path.join(directory, 'electrictown.yaml');
      writeFileSync(config, `providers:\n  groq: { type: openai-compatible, base_url: "${openai.baseUrl}", api_key: $ET_ECHO_KEY, headers: { X-Team-Token: $ET_ECHO_HEADER } }\nmodels:\n  fast: { provider: groq, model: llama-70b }\nroles:\n  polecat: { model: fast }\ndefaults:\n  log_dir: logs\n`);
      const body = JSON.stringify({ error: { message: `Invalid API Key: ${ECHOES.join(' / ')}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
      openai.respondWith(() => ({ kind: 'error', status: 401, body }));
      const env = { ET_ECHO_KEY: KEY, ET_ECHO_HEADER: HEADER };
      const text = await runEt(['--config', config, 'ask', 'hi'], { cwd: directory, env });
      const json = await runEt(['--config', config, 'ask', '--json', 'hi'], { cwd: directory, env });
      const models = await runEt(['--config', config, 'models'], { cwd: directory, env });
      assert.notEqual(text.exitCode, 0);
      assert.match(text.stderr, /Invalid API Key/);
      const logs = path.join(directory, 'logs');
      const dumps = existsSync(path.join(logs, 'failed_requests')) ? readdirSync(path.join(logs, 'failed_requests')).map((name) => readFileSync(path.join(logs, 'failed_requests', name), 'utf8')) : [];
      assert.ok(dumps.length > 0, 'the failed request was dumped');
      const everything = [text.stdout, text.stderr, json.stdout, json.stderr, models.stdout, models.stderr, readFileSync(path.join(logs, 'ledger.jsonl'), 'utf8').toString(), ...dumps].join('\n');
      for (const secret of [KEY, HEADER, encodeURIComponent(HEADER), KEY.slice(-8), KEY.slice(4, 12), `${KEY.slice(0, 4)}****`, `${KEY.slice(0, 6)}...`]) assert.ok(!everything.includes(secret), `${secret} was printed:\n${everything.slice(0, 3000)}`);
    } finally {
      await openai.stop();
    }
  });
});
