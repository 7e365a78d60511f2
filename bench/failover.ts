// Budgets and failover as the issue measures them, in process against the fake OpenAI server:
//   budget overshoot  an 8- and a 32-worker run whose every call costs $0.01 (1,000 output tokens at
//                     $10/M) under a $0.10 budget: what was recorded against the budget (goal: never over;
//                     floor: the budget itself)
//   hung primary      `et ask` on a chain whose first model never answers (first_byte timeout 1 s) and whose
//                     fallback answers at once: time to the answer (goal: one first-byte timeout; floor: it
//                     plus the same `et ask` answered at once by its primary)
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunRecord } from '../server/src/protocol';
import { FakeOpenAi } from '../test/helpers/fake-openai';
import { answer, fileBlock, team } from '../test/helpers/fake-team';
import { greeterConfig } from '../test/helpers/greeter-scenario';
import { runEt } from '../test/helpers/run-cli';
import type { Row } from './router';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };

async function budgetRun(workers: number): Promise<{ spent: number; started: number }> {
  const openai = await FakeOpenAi.start();
  try {
    const directory = mkdtempSync(path.join(tmpdir(), 'et-bench-budget-'));
    const config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, greeterConfig(openai.baseUrl).replace('coder: { provider: openai, model: coder-1, pricing: { input: 1, output: 4 } }', 'coder: { provider: openai, model: coder-1, pricing: { input: 10, output: 10 }, max_tokens: 1000 }'));
    const plan = Array.from({ length: workers }, (_, index) => `${index + 1}. Write part${index + 1}.txt.`).join('\n');
    const scripted = team((call) => (call.phase === 'decompose' ? answer(plan, { prompt: 100, completion: 50 }) : call.phase === 'work' ? answer(fileBlock(`part${call.subtask}.txt`, 'x\n'), { prompt: 100, completion: 1000 }) : answer('ok', { prompt: 100, completion: 10 })));
    openai.respondWith(scripted.responder);
    await runEt(['--config', config, 'run', '--output-dir', 'out', 'Write the parts', '--budget', '0.1', '--workers', String(workers), '--max-subtasks', String(workers), '--no-coordinate', '--no-reviewer', '--no-synthesize'], { cwd: directory, env: KEY });
    const logs = path.join(directory, 'logs');
    const folder = readdirSync(logs).find((name) => /^\d{4}-\d{2}-\d{2}_/.test(name)) as string;
    const record = JSON.parse(readFileSync(path.join(logs, folder, 'run.json'), 'utf8')) as RunRecord;
    return { spent: record.totals.usd, started: scripted.calls.filter((call) => call.phase === 'work').length };
  } finally {
    await openai.stop();
  }
}

/** `et ask` to the answer; `hangFirst`: the primary never answers. */
async function hungPrimary(hangFirst = true): Promise<number> {
  const [hung, healthy] = await Promise.all([FakeOpenAi.start(), FakeOpenAi.start()]);
  try {
    hung.respondWith(() => (hangFirst ? { kind: 'hang' } : answer('ready')));
    healthy.respondWith(() => answer('ready'));
    const directory = mkdtempSync(path.join(tmpdir(), 'et-bench-hung-'));
    const config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, `providers:\n  dead: { type: openai, base_url: "${hung.baseUrl}", api_key: $ET_TEST_OPENAI_KEY, timeouts: { first_byte: 1 } }\n  live: { type: openai, base_url: "${healthy.baseUrl}", api_key: $ET_TEST_OPENAI_KEY }\nmodels:\n  primary: { provider: dead, model: m1 }\n  backup: { provider: live, model: m2 }\nroles:\n  polecat: { model: primary, fallbacks: [backup] }\ndefaults:\n  log_dir: logs\n`);
    const started = performance.now();
    const result = await runEt(['--config', config, 'ask', 'hello'], { cwd: directory, env: KEY });
    if (result.stdout.trim() !== 'ready') throw new Error(`no answer: ${result.stderr}`);
    return performance.now() - started;
  } finally {
    await Promise.all([hung.stop(), healthy.stop()]);
  }
}

export async function failoverRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const workers of [8, 32]) {
    const { spent, started } = await budgetRun(workers);
    rows.push([`budget: spent under a $0.10 budget, ${workers} workers at once (${started} started)`, `$${spent.toFixed(4)}`, '$0.1000 (the budget)', `${(spent / 0.1).toFixed(2)}×`, '≤ 1.00× (overshoot 0)']);
  }
  const healthy = await hungPrimary(false);
  const elapsed = await hungPrimary();
  const floor = 1000 + healthy;
  rows.push(['failover: a hung primary (first_byte 1 s) and a ready fallback, to the answer', `${(elapsed / 1000).toFixed(2)} s`, `${(floor / 1000).toFixed(2)} s (one first-byte timeout + the same ask answered at once)`, `${(elapsed / floor).toFixed(2)}×`, 'one timeout']);
  return rows;
}

if (require.main === module) void failoverRows().then((rows) => console.log(rows.map((row) => row.join(' | ')).join('\n')));
