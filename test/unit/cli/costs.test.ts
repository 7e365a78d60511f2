// `et costs` over a ledger written the way the router writes it, including a line cut by a crash.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LedgerEntry } from '../../../server/src/cost/ledger';
import { runEt } from '../../helpers/run-cli';

function entry(overrides: Partial<LedgerEntry>): LedgerEntry {
  return { time: new Date().toISOString(), runId: 'run-a', role: 'mayor', provider: 'claude', providerType: 'anthropic', alias: 'sonnet', modelId: 'claude-sonnet-4-5', tokens: { input: 1000, cachedInput: 200, output: 100, reasoning: 0 }, estimated: false, usd: 0.0045, outcome: 'ok', ...overrides };
}

describe('et costs', () => {
  let directory: string;
  let config: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'et-costs-'));
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, 'providers:\n  local: { type: ollama }\ndefaults:\n  log_dir: logs\n');
    mkdirSync(path.join(directory, 'logs'));
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const lines = [
      entry({ outcome: 'fallback', errorClass: 'rate_limit', tokens: { input: 0, cachedInput: 0, output: 0, reasoning: 0 }, usd: 0, provider: 'openai', alias: 'gpt' }),
      entry({}),
      entry({ role: 'polecat', provider: 'cloud', alias: 'qwen', usd: null, runId: 'run-b' }),
      entry({ role: 'polecat', outcome: 'fallback', errorClass: 'truncated_stream', estimated: true, usd: 0.002, runId: 'run-b' }),
      entry({ role: 'refinery', time: old, usd: 1.5, runId: 'run-old' }),
    ];
    writeFileSync(path.join(directory, 'logs', 'ledger.jsonl'), lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    appendFileSync(path.join(directory, 'logs', 'ledger.jsonl'), '{"time":"2026-11-21T10:00:01.000Z","provider":"cla');
  });

  it('prints totals by role with unpriced and estimated attempts flagged, and warns about a broken line', async () => {
    const result = await runEt(['--config', config, 'costs'], { cwd: directory });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        'ROLE      ATTEMPTS  ANSWERED  INPUT  CACHED  OUTPUT  COST',
        'refinery         1         1  1,000     200     100  $1.50',
        'mayor            2         1  1,000     200     100  $0.0045',
        'polecat          2         1  2,000     400     200  $0.0020 + 1 unpriced',
        'total            5         3  4,000     800     400  $1.51 + 1 unpriced',
        // Lines from before the ledger priced the cache: the share is known, the saving is not claimed.
        'cache: 20% of input read from the prompt cache (800 of 4,000 tokens)',
        'note: 1 attempt(s) used models with no known price: add pricing to their aliases in the config',
        'note: 1 attempt(s) were cut short and are counted at an estimate',
        '',
      ].join('\n'),
    );
    assert.equal(result.stderr, `warning: ${path.join(directory, 'logs', 'ledger.jsonl')}: 1 unreadable line(s) skipped\n`);
  });

  it('says what share of input the prompt cache served and what it saved against no caching', async () => {
    const ledger = path.join(directory, 'logs', 'ledger.jsonl');
    // A run of three workers: the first writes the 20,000-token prefix, the other two read it (Sonnet: $3 in, $3.75 written, $0.30 read).
    const write = entry({ role: 'polecat', tokens: { input: 20_500, cachedInput: 0, cacheWrite: 20_000, output: 100, reasoning: null }, usd: (500 * 3 + 20_000 * 3.75 + 100 * 15) / 1e6, cacheSavedUsd: (20_000 * -0.75) / 1e6 });
    const read = entry({ role: 'polecat', tokens: { input: 20_500, cachedInput: 20_000, cacheWrite: 0, output: 100, reasoning: null }, usd: (500 * 3 + 20_000 * 0.3 + 100 * 15) / 1e6, cacheSavedUsd: (20_000 * 2.7) / 1e6 });
    writeFileSync(ledger, [write, read, read].map((line) => `${JSON.stringify(line)}\n`).join(''));
    const result = await runEt(['--config', config, 'costs'], { cwd: directory });
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines[1], 'polecat         3         3  61,500  40,000     300  $0.10');
    // $0.096 paid (0.078 + 2 × 0.009); $0.093 saved (two reads at 2.70 per 1M under the input price, less
    // one write at 0.75 over it): $0.189 without the cache.
    assert.equal(lines[3], 'cache: 65% of input read from the prompt cache (40,000 of 61,500 tokens; 20,000 written to it), saved $0.09 against no caching ($0.19 without it)');

    writeFileSync(ledger, `${JSON.stringify(write)}\n`);
    assert.match((await runEt(['--config', config, 'costs'], { cwd: directory })).stdout, /^cache: 0% of input read from the prompt cache \(0 of 20,500 tokens; 20,000 written to it\), cost \$0\.01 more than no caching, for writes not read back yet$/m);
    const json = JSON.parse((await runEt(['--config', config, 'costs', '--json'], { cwd: directory })).stdout);
    assert.deepEqual([json.total.cacheWriteTokens, json.total.cachedShare, json.total.cacheSavedUsd], [20_000, 0, -0.015]);
  });

  it('groups by run over a time range, and answers JSON', async () => {
    const result = await runEt(['--config', config, 'costs', '--by', 'run', '--since', '7d', '--json'], { cwd: directory });
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.rows.map((row: { key: string; attempts: number }) => [row.key, row.attempts]), [['run-a', 2], ['run-b', 2]]);
    assert.deepEqual([report.total.attempts, report.total.unpricedAttempts, report.skippedLines, report.by], [4, 1, 1, 'run']);
  });

  it('explains bad options and an empty range', async () => {
    const badBy = await runEt(['--config', config, 'costs', '--by', 'colour'], { cwd: directory });
    assert.deepEqual([badBy.exitCode, badBy.stderr.split('\n')[0]], [2, 'error: --by "colour" is not one of role, provider, model, run']);
    const badSince = await runEt(['--config', config, 'costs', '--since', 'last tuesday'], { cwd: directory });
    assert.equal(badSince.exitCode, 2);
    assert.match(badSince.stderr, /--since "last tuesday" is not a date/);
    const empty = await runEt(['--config', config, 'costs', '--since', '2099-01-01'], { cwd: directory });
    assert.equal(empty.exitCode, 0);
    assert.equal(empty.stdout, '');
    assert.match(empty.stderr, /no costs recorded in .*ledger\.jsonl since 2099-01-01/);
  });
});
