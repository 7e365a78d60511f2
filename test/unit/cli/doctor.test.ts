// `et doctor` against fake providers: the roles' table, what to fix, and the exit code.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeOllama } from '../../helpers/fake-ollama';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { runEt } from '../../helpers/run-cli';

describe('et doctor', () => {
  let openai: FakeOpenAi;
  let ollama: FakeOllama;
  let folder: string;

  beforeEach(async () => {
    [openai, ollama] = await Promise.all([FakeOpenAi.start(), FakeOllama.start()]);
    folder = mkdtempSync(path.join(tmpdir(), 'et-doctor-'));
  });
  afterEach(() => Promise.all([openai.stop(), ollama.stop()]));

  const write = (ollamaOrigin: string) =>
    writeFileSync(
      path.join(folder, 'electrictown.yaml'),
      `providers:\n  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_DOCTOR_KEY }\n  local: { type: ollama, base_url: "${ollamaOrigin}" }\nmodels:\n  gpt: { provider: openai, model: gpt-4.1-mini }\n  llama: { provider: local, model: llama3.2 }\nroles:\n  mayor: { model: gpt }\n  polecat: { model: llama }\n  witness: { model: llama }\n  refinery: { model: gpt }\n`,
    );

  it('says ready, and exits 0, when every role’s first provider answers', async () => {
    write(ollama.origin);
    const result = await runEt(['doctor'], { cwd: folder, env: { ET_TEST_DOCTOR_KEY: 'sk-doctor-0123456789' } });
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], `config: ${path.join(folder, 'electrictown.yaml')}`);
    assert.match(lines[2], /^ROLE +MODEL +PROVIDER +ENDPOINT +KEY +ANSWERS$/);
    assert.match(lines[3], new RegExp(`^mayor +gpt +openai +${openai.baseUrl.replace(/[.]/g, '\\.')} +set +yes$`));
    assert.match(lines[4], /^polecat +llama +local +http:\/\/127\.0\.0\.1:\d+ +none +yes$/);
    assert.match(result.stdout, /\nready: every role's first model can be reached \(checked in \d+ ms\)\n$/);
  });

  it('names what to fix, and exits 1: an unset key and an Ollama that is not running', async () => {
    const stopped = ollama.origin;
    await ollama.stop();
    write(stopped);
    const result = await runEt(['doctor'], { cwd: folder, env: {} });
    assert.equal(result.exitCode, 1);
    assert.ok(
      result.stdout.endsWith(
        `2 things to fix:\n  - ET_TEST_DOCTOR_KEY is not set: provider "openai" reads it (mayor, refinery)\n  - Ollama is not running at ${stopped}: start it (ollama serve), or point the roles at another provider (polecat, witness)\n`,
      ),
      result.stdout,
    );
    assert.equal(openai.requests.length, 0);
    ollama = await FakeOllama.start();
  });

  it('says where it looked when there is no config', async () => {
    const result = await runEt(['doctor', '--json'], { cwd: folder, env: {} });
    assert.equal(result.exitCode, 1);
    assert.equal(JSON.parse(result.stdout).problems[0].kind, 'no-config');
  });

  it('names a config with errors by its first error and line, and asks no provider', async () => {
    writeFileSync(path.join(folder, 'electrictown.yaml'), `providers:\n  local: { type: olama, base_url: "${ollama.origin}" }\n`);
    const result = await runEt(['doctor'], { cwd: folder, env: {} });
    assert.equal(result.exitCode, 1);
    assert.match(result.stdout, /1 thing to fix:\n {2}- .*electrictown\.yaml has 1 error; the first, line 2: unknown provider type "olama"; expected one of .* — did you mean "ollama"\?\n$/);
    assert.equal(ollama.requests.length, 0);
  });
});
