// Prompt caching in a whole run: eight workers on Anthropic (the fake playing its prompt cache, taking
// a moment to begin each answer as the API does) share a --context spec. Their requests open with the
// same bytes up to one cache_control breakpoint; the first writes the prefix, the seven others read
// it; the ledger prices each attempt and what the cache saved; `et costs` says so.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LedgerEntry } from '../../../server/src/cost/ledger';
import { fakeTokens } from '../../helpers/anthropic-prompt-cache';
import { FakeAnthropic } from '../../helpers/fake-anthropic';
import { anthropicTeam, fileBlock, type TeamCall } from '../../helpers/fake-team';
import { runEt } from '../../helpers/run-cli';

const KEY = { ET_TEST_ANTHROPIC_KEY: 'fake-anthropic-key-0123456789' };
const WORKERS = 8;
const PLAN = Array.from({ length: WORKERS }, (_, index) => `${index + 1}. Write src/part${index + 1}.ts exporting part${index + 1}().`).join('\n');
/** About 6,000 of the fake's tokens, the same for every worker. */
const SPEC = `# The parts\n\n${'Every part exports one function that returns its own number, and nothing else. '.repeat(300)}\n`;

function scenario(call: TeamCall): string {
  switch (call.phase) {
    case 'decompose':
      return PLAN;
    case 'coordinate':
      return 'Each part is its own module in src/.';
    case 'review':
      return 'SCORE: 9\nREASON: Complete.\nFINDINGS: none';
    case 'synthesize':
    case 'polish':
      return 'Eight parts, each in src/.';
    default:
      return fileBlock(`src/part${call.subtask}.ts`, `export function part${call.subtask}(): number {\n  return ${call.subtask};\n}\n`);
  }
}

describe('et run with a prompt cache', () => {
  let anthropic: FakeAnthropic;
  let directory: string;
  beforeEach(async () => {
    anthropic = await FakeAnthropic.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-cache-run-'));
    mkdirSync(path.join(directory, 'out', 'docs'), { recursive: true });
    writeFileSync(path.join(directory, 'out', 'docs', 'spec.md'), SPEC);
    writeFileSync(
      path.join(directory, 'electrictown.yaml'),
      `providers:
  claude: { type: anthropic, base_url: "${anthropic.origin}", api_key: $ET_TEST_ANTHROPIC_KEY }
models:
  sonnet: { provider: claude, model: claude-sonnet-4-5, pricing: { input: 3, output: 15 } }
roles:
  mayor: { model: sonnet }
  polecat: { model: sonnet }
  witness: { model: sonnet }
  refinery: { model: sonnet }
defaults:
  log_dir: logs
`,
    );
  });
  afterEach(() => anthropic.stop());

  it('opens every worker’s request with the same bytes up to one breakpoint, writes that prefix once and reads it seven times, and prices it so', async () => {
    anthropic.cachePrompts({ minimumTokens: 1024, beginDelayMs: 100 });
    const team = anthropicTeam(scenario);
    anthropic.respondWith(team.responder);
    const result = await runEt(['--config', 'electrictown.yaml', 'run', '--output-dir', 'out', '--workers', String(WORKERS), '--context', 'docs/spec.md', 'Build eight parts as docs/spec.md says'], { cwd: directory, env: KEY });
    assert.equal(result.exitCode, 0, result.stderr);

    // The workers' first requests, recognised by their subtask.
    const work = anthropic.requests.filter((_, index) => team.calls[index].phase === 'work');
    assert.equal(work.length, WORKERS);
    const breakpoint = '"cache_control":{"type":"ephemeral"}';
    const prefixes = work.map((request) => request.raw.slice(0, request.raw.indexOf(breakpoint) + breakpoint.length));
    assert.equal(new Set(prefixes).size, 1, 'one prefix, byte for byte');
    assert.ok(prefixes[0].includes(JSON.stringify(SPEC).slice(1, 200)), 'the spec is in what they share');
    assert.doesNotMatch(prefixes[0], /Your subtask/);
    for (const request of work) {
      assert.equal(request.raw.split('"cache_control"').length - 1, 1, 'one breakpoint');
      const [turn] = request.body?.messages as { content: { text: string; cache_control?: unknown }[] }[];
      assert.deepEqual(turn.content.map((block) => block.cache_control !== undefined), [true, false], 'at the end of the shared part, which opens the first turn');
      assert.match(turn.content[1].text, /^Your subtask \(\d of 8\):/);
    }
    // The other roles' prompts are not marked: nothing they repeat is long enough to pay for a write.
    assert.ok(anthropic.requests.filter((_, index) => team.calls[index].phase !== 'work').every((request) => !request.raw.includes('cache_control')));

    const ledger = readFileSync(path.join(directory, 'logs', 'ledger.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as LedgerEntry);
    const workLines = ledger.filter((entry) => entry.purpose === 'work');
    assert.equal(workLines.length, WORKERS);
    const body = work[0].body as { system: string; messages: { content: { text: string }[] }[] };
    const prefix = fakeTokens(body.system) + fakeTokens(body.messages[0].content[0].text);
    assert.ok(prefix > 5000, `a long shared prefix (${prefix} tokens)`);
    // The first to go writes it; the others wait for it to begin, then read it.
    assert.deepEqual(workLines.map((entry) => [entry.tokens.cacheWrite, entry.tokens.cachedInput]).sort(), [[0, prefix], [0, prefix], [0, prefix], [0, prefix], [0, prefix], [0, prefix], [0, prefix], [prefix, 0]]);
    for (const entry of workLines) {
      const read = entry.tokens.cachedInput ?? 0;
      const written = entry.tokens.cacheWrite ?? 0;
      const uncached = (entry.tokens.input ?? 0) - read - written;
      // Sonnet at $3 in, $15 out; reads at 0.1× and writes at 1.25× of the input price, as no price says otherwise.
      assert.ok(Math.abs((entry.usd ?? NaN) - (uncached * 3 + read * 0.3 + written * 3.75 + (entry.tokens.output ?? 0) * 15) / 1e6) < 1e-12);
      assert.ok(Math.abs((entry.cacheSavedUsd ?? NaN) - (read * 2.7 - written * 0.75) / 1e6) < 1e-12);
    }
    const share = workLines.reduce((sum, entry) => sum + (entry.tokens.cachedInput ?? 0), 0) / workLines.reduce((sum, entry) => sum + (entry.tokens.input ?? 0), 0);
    assert.ok(share > 0.8, `share of the workers' input read from the cache: ${share}`);

    const costs = await runEt(['--config', 'electrictown.yaml', 'costs'], { cwd: directory });
    const saved = ledger.reduce((sum, entry) => sum + (entry.cacheSavedUsd ?? 0), 0);
    const usd = ledger.reduce((sum, entry) => sum + (entry.usd ?? 0), 0);
    const cacheLine = costs.stdout.split('\n').find((line) => line.startsWith('cache: '));
    assert.ok(saved > 0);
    assert.match(cacheLine ?? '', new RegExp(`saved \\$${saved.toFixed(2)} against no caching \\(\\$${(usd + saved).toFixed(2)} without it\\)$`));
  });
});
