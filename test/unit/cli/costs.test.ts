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
        'note: 1 attempt(s) used models with no known price: add pricing to their aliases in the config',
        'note: 1 attempt(s) were cut short and are counted at an estimate',
        '',
      ].join('\n'),
    );
    assert.equal(result.stderr, `warning: ${path.join(directory, 'logs', 'ledger.jsonl')}: 1 unreadable line(s) skipped\n`);
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
