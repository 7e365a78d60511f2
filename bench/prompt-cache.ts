// Prompt caching on a whole run: `et run` with 8 workers on Anthropic (the fake server playing its
// prompt cache, each answer beginning 200 ms after its request as a model's would), the workers sharing
// a ~20k-token prefix (two --context files and the project map). The floor is the same run, in the same
// process, against the fake with its cache off — a provider that caches nothing — so both runs send the
// same prompts and get the same answers. From the ledgers: the share of the workers' input read from
// the cache, each run's cost at Sonnet's prices, and the saving the ledger itself claims against the
// one measured. Counts and costs do not vary from run to run; there is no timing here (the warm-up is
// on in both runs, so their times say nothing about it).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LedgerEntry } from '../server/src/cost/ledger';
import { FakeAnthropic } from '../test/helpers/fake-anthropic';
import { anthropicTeam, fileBlock, type TeamCall } from '../test/helpers/fake-team';
import { runEt } from '../test/helpers/run-cli';
import type { Row } from './router';

const WORKERS = 8;
const KEY = { BENCH_ANTHROPIC_KEY: 'bench-key-not-a-secret' };
const BEGIN_MS = 200;

/** A Markdown spec of about `tokens` of the fake's tokens (4 bytes each), under the 48,000 characters shown whole. */
function spec(title: string, tokens: number): string {
  const paragraph = `The ${title} module keeps items in memory, answers in JSON, and logs every change with its time and its author. `;
  return `# ${title}\n\n${paragraph.repeat(Math.ceil((tokens * 4) / paragraph.length))}\n`;
}

function scenario(call: TeamCall): string {
  switch (call.phase) {
    case 'decompose':
      return Array.from({ length: WORKERS }, (_, index) => `${index + 1}. Write src/part${index + 1}.ts as the specs say.`).join('\n');
    case 'coordinate':
      return 'Each part is its own module in src/, named after its number.';
    case 'review':
      return 'SCORE: 9\nREASON: Complete.\nFINDINGS: none';
    case 'synthesize':
    case 'polish':
      return 'Eight parts in src/.';
    default:
      return fileBlock(`src/part${call.subtask}.ts`, `export function part${call.subtask}(): number {\n  return ${call.subtask};\n}\n`);
  }
}

async function run(cached: boolean): Promise<LedgerEntry[]> {
  const fake = await FakeAnthropic.start();
  try {
    // With its cache off, the fake bills every prompt token as input, as a provider without caching would.
    fake.cachePrompts({ minimumTokens: cached ? 1024 : Number.POSITIVE_INFINITY, beginDelayMs: BEGIN_MS });
    fake.respondWith(anthropicTeam(scenario).responder);
    const directory = mkdtempSync(path.join(tmpdir(), 'et-bench-cache-'));
    mkdirSync(path.join(directory, 'out', 'docs'), { recursive: true });
    writeFileSync(path.join(directory, 'out', 'docs', 'storage.md'), spec('storage', 9_500));
    writeFileSync(path.join(directory, 'out', 'docs', 'api.md'), spec('api', 9_500));
    writeFileSync(
      path.join(directory, 'electrictown.yaml'),
      `providers:\n  claude: { type: anthropic, base_url: "${fake.origin}", api_key: $BENCH_ANTHROPIC_KEY }\nmodels:\n  sonnet: { provider: claude, model: claude-sonnet-4-5, pricing: { input: 3, output: 15 } }\nroles:\n  mayor: { model: sonnet }\n  polecat: { model: sonnet }\n  witness: { model: sonnet }\n  refinery: { model: sonnet }\ndefaults:\n  log_dir: logs\n`,
    );
    const result = await runEt(['--config', 'electrictown.yaml', 'run', '--output-dir', 'out', '--workers', String(WORKERS), '--context', 'docs', 'Build the eight parts the specs in docs/ describe'], { cwd: directory, env: KEY });
    if (result.exitCode !== 0) throw new Error(`the benchmark's run failed: ${result.stderr}`);
    return readFileSync(path.join(directory, 'logs', 'ledger.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as LedgerEntry);
  } finally {
    await fake.stop();
  }
}

const sum = (entries: readonly LedgerEntry[], value: (entry: LedgerEntry) => number | null | undefined) => entries.reduce((total, entry) => total + (value(entry) ?? 0), 0);
const dollars = (usd: number) => `$${usd.toFixed(4)}`;

export async function promptCacheRows(): Promise<Row[]> {
  const cached = await run(true);
  const plain = await run(false);
  const workers = cached.filter((entry) => entry.purpose === 'work');
  const share = sum(workers, (entry) => entry.tokens.cachedInput) / sum(workers, (entry) => entry.tokens.input);
  const prefix = Math.max(...workers.map((entry) => entry.tokens.cacheWrite ?? 0));
  const plainShare = sum(plain.filter((entry) => entry.purpose === 'work'), (entry) => entry.tokens.cachedInput);
  const usd = sum(cached, (entry) => entry.usd);
  const plainUsd = sum(plain, (entry) => entry.usd);
  const claimed = sum(cached, (entry) => entry.cacheSavedUsd);
  return [
    [`prompt cache, 8 workers, ${prefix.toLocaleString('en-US')}-token shared prefix: input read from cache`, `${(share * 100).toFixed(1)} %`, `${plainShare} tokens (same run, no cache)`, '', '≥ 80 %'],
    ['same run: its cost at Sonnet prices (cache write 1.25×, read 0.1× of input)', dollars(usd), `${dollars(plainUsd)} (same run, no cache)`, `${(usd / plainUsd).toFixed(2)}×`, ''],
    ['same run: the saving the ledger records, against the one measured', dollars(claimed), `${dollars(plainUsd - usd)} (no cache − cached)`, `${(claimed / (plainUsd - usd)).toFixed(2)}×`, '1.00×'],
  ];
}

if (require.main === module) {
  void promptCacheRows().then((rows) => {
    for (const row of rows) console.log(row.join(' | '));
  });
}
