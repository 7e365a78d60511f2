// The pre-flight check's pure parts: the plan (first models, key variables found without a call, each
// endpoint once), the report (one problem per thing to fix, naming its roles) and the probes' cache.
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import type { Environment } from '../../../server/src/config/env';
import { EndpointProbes, CACHE_MS, probeFailure } from '../../../server/src/preflight/endpoint-probes';
import { endpointLabel, planPreflight, type PlannedEndpoint } from '../../../server/src/preflight/preflight-plan';
import { preflightReport, type ProbeOutcome } from '../../../server/src/preflight/preflight-report';
import { ProviderError } from '../../../server/src/providers/provider-error';

const CONFIG = `providers:
  local: { type: ollama, base_url: http://127.0.0.1:11434 }
  same: { type: ollama, base_url: http://127.0.0.1:11434/ }
  claude: { type: anthropic, api_key: "\${ET_TEST_ANTHROPIC}" }
  openai: { type: openai, base_url: "https://api.example.test/v1", api_key: $ET_TEST_OPENAI }
models:
  coder: { provider: local, model: qwen2.5-coder:7b }
  general: { provider: same, model: llama3.2 }
  sonnet: { provider: claude, model: claude-sonnet-4-5 }
  gpt: { provider: openai, model: gpt-5-mini }
roles:
  mayor: { model: sonnet, fallbacks: [coder] }
  polecat: { model: coder }
  witness: { model: general }
  refinery: { model: gpt }
`;

function plan(text: string, environment: Environment) {
  const config = analyzeConfig(text, environment).config;
  assert.ok(config, 'the test config has no errors');
  return planPreflight(config, environment);
}

describe('pre-flight plan', () => {
  it('takes each role’s first model, finds unset key variables without a call, and asks each endpoint once', () => {
    const planned = plan(CONFIG, { ET_TEST_OPENAI: 'sk-test-0123456789abcdef' });
    assert.deepEqual(
      planned.roles.map((role) => [role.role, role.model, role.provider, role.key, role.unsetVariables]),
      [
        ['mayor', 'sonnet', 'claude', 'unset', ['ET_TEST_ANTHROPIC']],
        ['polecat', 'coder', 'local', 'none', []],
        ['witness', 'general', 'same', 'none', []],
        ['refinery', 'gpt', 'openai', 'set', []],
      ],
    );
    // `local` and `same` are one endpoint (a trailing slash is no other place); the unset key's provider is not asked.
    assert.deepEqual(
      planned.endpoints.map((endpoint) => [endpoint.provider, endpoint.label]),
      [
        ['local', 'http://127.0.0.1:11434'],
        ['openai', 'https://api.example.test/v1'],
      ],
    );
  });

  it('never puts a key in an endpoint’s id or label', () => {
    const key = 'sk-secret-value-0123456789';
    const planned = plan(CONFIG.replace('https://api.example.test/v1', 'https://user:pw-secret@api.example.test/v1?key=$ET_TEST_OPENAI'), { ET_TEST_OPENAI: key, ET_TEST_ANTHROPIC: 'another-secret-0123' });
    const text = JSON.stringify(planned);
    for (const secret of [key, 'pw-secret', 'another-secret-0123']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    assert.equal(endpointLabel('https://user:pw@host.test/v1/?key=abc#x', []), 'https://host.test/v1');
  });

  it('tells a role without a model from one whose alias is missing', () => {
    const planned = plan('providers:\n  local: { type: ollama }\nmodels:\n  a: { provider: local, model: m }\nroles:\n  mayor: { model: a }\n', {});
    assert.equal(planned.roles[0].problem, undefined);
    assert.equal(planned.roles[0].endpoint?.label, 'http://localhost:11434');
    assert.match(planned.roles[1].problem ?? '', /role polecat has no model/);
  });
});

describe('pre-flight report', () => {
  const planned = () => plan(CONFIG, { ET_TEST_OPENAI: 'sk-test-0123456789abcdef' });
  const outcomesFor = (entries: Record<string, ProbeOutcome>) => new Map(planned().endpoints.map((endpoint) => [endpoint.id, entries[endpoint.provider]]));

  it('says Ollama is not running, once for every role it stops, and names the unset variable', () => {
    const { roles, problems } = preflightReport(planned(), outcomesFor({ local: { ok: false, errorClass: 'network', message: 'connection refused: is Ollama running?' }, openai: { ok: true, models: ['gpt-5-mini'] } }));
    assert.deepEqual(problems, [
      { kind: 'unset-variable', message: 'ET_TEST_ANTHROPIC is not set: provider "claude" reads it (mayor)', variable: 'ET_TEST_ANTHROPIC', provider: 'claude', roles: ['mayor'] },
      { kind: 'unreachable', message: 'Ollama is not running at http://127.0.0.1:11434: start it (ollama serve), or point the roles at another provider (polecat, witness)', provider: 'local', roles: ['polecat', 'witness'] },
    ]);
    assert.deepEqual(
      roles.map((role) => [role.role, role.reachable]),
      [
        ['mayor', null],
        ['polecat', false],
        ['witness', false],
        ['refinery', true],
      ],
    );
  });

  it('finds a model Ollama has not pulled (llama3.2 is llama3.2:latest), and trusts cloud lists for nothing', () => {
    const { problems } = preflightReport(planned(), outcomesFor({ local: { ok: true, models: ['llama3.2:latest'] }, openai: { ok: true, models: ['something-else'] } }));
    assert.deepEqual(
      problems.map((problem) => [problem.kind, problem.message]),
      [
        ['unset-variable', 'ET_TEST_ANTHROPIC is not set: provider "claude" reads it (mayor)'],
        ['model-missing', 'model "qwen2.5-coder:7b" is not on Ollama at http://127.0.0.1:11434: ollama pull qwen2.5-coder:7b (polecat)'],
      ],
    );
  });

  it('has no problems when every endpoint answers with the models', () => {
    const all = plan(CONFIG, { ET_TEST_OPENAI: 'k-0123456789', ET_TEST_ANTHROPIC: 'k-9876543210' });
    const outcomes = new Map(all.endpoints.map((endpoint): [string, ProbeOutcome] => [endpoint.id, { ok: true, models: ['qwen2.5-coder:7b', 'llama3.2:latest'] }]));
    assert.equal(all.endpoints.length, 3);
    assert.deepEqual(preflightReport(all, outcomes).problems, []);
  });
});

describe('pre-flight probes', () => {
  const endpoint = (id: string): PlannedEndpoint => ({ id, provider: id, type: 'ollama', label: `http://${id}` });

  it('asks endpoints in parallel, remembers an answer for a minute and a failure not at all', async () => {
    let now = 0;
    const asked: string[] = [];
    const waiting: (() => void)[] = [];
    const probes = new EndpointProbes(() => now);
    const refused = new ProviderError('down', 'ollama', { errorClass: 'network', action: 'fallback', message: 'connection refused: is Ollama running?' });
    const list = (target: PlannedEndpoint) => {
      asked.push(target.id);
      return new Promise<string[]>((resolve, reject) => waiting.push(() => (target.id === 'down' ? reject(refused) : resolve(['m']))));
    };
    /** Lets every asked endpoint start, then answers them all. */
    const answered = async <T>(pending: Promise<T>): Promise<T> => {
      await new Promise((resolve) => setImmediate(resolve));
      for (const answer of waiting.splice(0)) answer();
      return pending;
    };
    const first = probes.outcomes([endpoint('up'), endpoint('down')], list);
    await new Promise((resolve) => setImmediate(resolve));
    // Both were asked before either answered.
    assert.deepEqual(asked, ['up', 'down']);
    const outcomes = await answered(first);
    assert.deepEqual(outcomes.get('up'), { ok: true, models: ['m'] });
    assert.deepEqual(outcomes.get('down'), { ok: false, errorClass: 'network', message: 'connection refused: is Ollama running?' });
    now = CACHE_MS - 1;
    await answered(probes.outcomes([endpoint('up'), endpoint('down')], list));
    assert.deepEqual(asked, ['up', 'down', 'down']);
    now = CACHE_MS + 1;
    await answered(probes.outcomes([endpoint('up')], list));
    assert.deepEqual(asked, ['up', 'down', 'down', 'up']);
  });

  it('reports a probe cut off by its timeout as no answer within 2 s', () => {
    assert.deepEqual(probeFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), { ok: false, errorClass: 'timeout', message: 'no answer within 2 s' });
  });
});
