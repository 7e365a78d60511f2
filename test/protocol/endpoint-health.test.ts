// Endpoint health shared by `et` processes on one machine: an endpoint one `et` found out of quota is
// not called by the next `et` that shares its log folder, and the shared file holds no key.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HEALTH_FILE_NAME } from '../../server/src/router/health-file';
import { FakeOpenAi } from '../helpers/fake-openai';
import { SERVER_BUNDLE } from '../helpers/lsp-process';
import { NO_QUOTA, primaryAndBackupConfig } from '../helpers/primary-and-backup';
import { TEST_HOME, type CliResult } from '../helpers/run-cli';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };

/** `et` as a separate process on the built bundle; the fakes keep answering while it runs. */
function spawnEt(args: string[], cwd: string): Promise<CliResult> {
  if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run \`node esbuild.mjs\` first`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_BUNDLE, ...args], { cwd, env: { PATH: process.env.PATH, HOME: TEST_HOME, ...KEY } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ exitCode: code ?? -1, stdout, stderr }));
  });
}

describe('endpoint health between et processes', function () {
  this.timeout(30_000);
  let dead: FakeOpenAi;
  let alive: FakeOpenAi;
  let directory: string;
  let config: string;
  const healthFile = () => path.join(directory, 'logs', HEALTH_FILE_NAME);

  beforeEach(async () => {
    [dead, alive] = await Promise.all([FakeOpenAi.start(), FakeOpenAi.start()]);
    directory = mkdtempSync(path.join(tmpdir(), 'et-processes-health-'));
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, primaryAndBackupConfig(dead.baseUrl, alive.baseUrl));
  });
  afterEach(() => Promise.all([dead.stop(), alive.stop()]));

  it('a second et process does not call an endpoint the first found out of quota, and the file holds no key', async () => {
    dead.respondWith(() => NO_QUOTA);
    alive.respondWith(() => ({ kind: 'answer', text: 'Seven.', usage: { prompt: 10, completion: 2 } }));
    const first = await spawnEt(['--config', config, 'ask', 'Name a prime.'], directory);
    assert.equal(first.exitCode, 0, first.stderr);
    assert.equal(first.stdout, 'Seven.\n');
    assert.equal(dead.requests.length, 1);
    const second = await spawnEt(['--config', config, 'ask', 'Name another prime.'], directory);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(dead.requests.length, 1, 'the second process skipped it');
    assert.equal(alive.requests.length, 2);
    const text = readFileSync(healthFile(), 'utf8');
    const endpoints = JSON.parse(text).endpoints as Record<string, { errorClass: string; until: number }>;
    assert.deepEqual(Object.keys(endpoints), [`openai ${dead.baseUrl} coder-1`]);
    assert.equal(Object.values(endpoints)[0].errorClass, 'quota_exhausted');
    assert.doesNotMatch(text, /fake-openai-key/);
  });

});
