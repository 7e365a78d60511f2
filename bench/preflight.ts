// Run Task's pre-flight (`electrictown/preflight`) over `et serve --stdio`, 4 roles on 2 endpoints (a fake
// OpenAI and a fake Ollama on 127.0.0.1):
//   first  a new server's first check: its modules loaded, both endpoints asked in parallel
//          floor: the same two model-list GETs sent raw, in parallel, on new connections
//   again  the next Run Task within the minute: every answer remembered, nothing asked
//          floor: the same request without a config (one round trip and a file lookup)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import type { PreflightResult } from '../server/src/protocol';
import { FakeOllama } from '../test/helpers/fake-ollama';
import { FakeOpenAi } from '../test/helpers/fake-openai';
import { LspProcess } from '../test/helpers/lsp-process';
import { median } from './measure';
import type { Row } from './router';

const FRESH_SERVERS = 5;
const CACHED_CALLS = 20;

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await run();
  return [performance.now() - started, result];
}

export async function preflightRows(): Promise<Row[]> {
  const [openai, ollama] = await Promise.all([FakeOpenAi.start(), FakeOllama.start()]);
  const folder = mkdtempSync(path.join(tmpdir(), 'et-bench-preflight-'));
  try {
    writeFileSync(
      path.join(folder, 'electrictown.yaml'),
      `providers:\n  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $BENCH_KEY }\n  local: { type: ollama, base_url: "${ollama.origin}" }\nmodels:\n  gpt: { provider: openai, model: gpt-4.1-mini }\n  llama: { provider: local, model: llama3.2 }\nroles:\n  mayor: { model: gpt }\n  polecat: { model: llama }\n  witness: { model: llama }\n  refinery: { model: gpt }\n`,
    );
    const first: number[] = [];
    const again: number[] = [];
    const noConfig: number[] = [];
    for (let sample = 0; sample < FRESH_SERVERS; sample++) {
      const server = LspProcess.start({ BENCH_KEY: 'sk-bench-0123456789' });
      try {
        await server.initialize({ rootUri: pathToFileURL(folder).toString() });
        const [elapsed, result] = await timed(() => server.request<PreflightResult>('electrictown/preflight', {}));
        if (result.problems.length > 0) throw new Error(`the bench config should pass: ${JSON.stringify(result.problems)}`);
        first.push(elapsed);
        for (let call = 0; call < CACHED_CALLS; call++) {
          again.push((await timed(() => server.request('electrictown/preflight', {})))[0]);
          noConfig.push((await timed(() => server.request('electrictown/preflight', { configPath: 'missing.yaml' })))[0]);
        }
      } finally {
        server.kill();
      }
    }
    const raw: number[] = [];
    for (let sample = 0; sample < FRESH_SERVERS * 2; sample++) {
      const agent = new Agent();
      raw.push((await timed(() => Promise.all([`${openai.baseUrl}/models`, `${ollama.origin}/api/tags`].map(async (url) => (await request(url, { dispatcher: agent })).body.text()))))[0]);
      await agent.close();
    }
    const [firstMs, rawMs, againMs, floorMs] = [median(first), median(raw), median(again), median(noConfig)];
    return [
      ['Run Task pre-flight, a new server’s first check (4 roles, 2 endpoints)', `${firstMs.toFixed(1)} ms`, `${rawMs.toFixed(1)} ms (the 2 model-list GETs raw)`, `${(firstMs / rawMs).toFixed(2)}×`, '≤ 2,000 ms'],
      ['same, again within the minute (answers remembered)', `${againMs.toFixed(2)} ms`, `${floorMs.toFixed(2)} ms (the request without a config)`, `${(againMs / floorMs).toFixed(2)}×`, '≤ 20 ms'],
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await Promise.all([openai.stop(), ollama.stop()]);
  }
}

if (require.main === module) void preflightRows().then((rows) => console.log(rows.map((row) => row.join(' | ')).join('\n')));
