// The router's overhead, against a raw `undici.request` to the same local server in the same run:
//   plain call   ModelRouter.request (chain resolution, retry wrapper, events, priced ledger line)
//                vs request() + body.json()                       median latency, and CPU per call
//   stream       a 2,000-token streamed answer, parsed into text-delta events
//                vs request() reading the same body to its end    median time
//   concurrency  8 router calls at once vs one router call, to a provider that takes 20 ms to answer
//                (does the router overlap them, or queue them?)    median time
// The fake provider runs in its own process, so only the client's CPU is counted.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { analyzeConfig } from '../server/src/config/analyze';
import { LedgerWriter } from '../server/src/cost/ledger-writer';
import { sharedHealth } from '../server/src/router/health-registry';
import { ModelRouter } from '../server/src/router/model-router';
import { median, startFakeServer } from './measure';

export type Row = [string, string, string, string, string];

const KEY = 'bench-key-not-a-secret';
const MESSAGES = [{ role: 'user' as const, content: 'Name a prime.' }];

async function time(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

/** Alternates the two calls so drift (CPU frequency, GC) hits both alike; medians of each. */
async function interleaved(runs: number, floor: () => Promise<unknown>, subject: () => Promise<unknown>): Promise<{ floor: number; subject: number }> {
  for (let warmup = 0; warmup < Math.max(20, runs / 5); warmup++) {
    await floor();
    await subject();
  }
  const floorSamples: number[] = [];
  const subjectSamples: number[] = [];
  for (let run = 0; run < runs; run++) {
    floorSamples.push(await time(floor));
    subjectSamples.push(await time(subject));
  }
  return { floor: median(floorSamples), subject: median(subjectSamples) };
}

/** Microseconds of this process's CPU (user + system) per call, over `calls` calls in a row. */
async function cpuPerCall(calls: number, call: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  for (let index = 0; index < calls; index++) await call();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

const ratio = (subject: number, floor: number) => `${(subject / floor).toFixed(2)}×`;

export async function routerRows(): Promise<Row[]> {
  const { child, port } = await startFakeServer('provider-server.mjs');
  try {
    const baseUrl = `http://127.0.0.1:${port}/v1`;
    const config = analyzeConfig(
      `providers:\n  openai: { type: openai, base_url: "${baseUrl}", api_key: $BENCH_KEY }\nmodels:\n  gpt: { provider: openai, model: gpt-4.1-mini, pricing: { input: 0.4, output: 1.6 } }\n  slow: { provider: openai, model: slow, pricing: { input: 0.4, output: 1.6 } }\nroles:\n  polecat: { model: gpt, fallbacks: [openai/gpt-4.1-nano] }\n  mayor: { model: slow, fallbacks: [gpt] }\n`,
      { BENCH_KEY: KEY },
    ).config;
    if (!config) throw new Error('the benchmark config does not load');
    const logs = mkdtempSync(path.join(tmpdir(), 'et-bench-'));
    const ledger = new LedgerWriter(path.join(logs, 'ledger.jsonl'), (error) => console.error(error));
    // The shared endpoint health a run uses, file included: its look at the file is part of the cost.
    const router = new ModelRouter({ config, environment: { BENCH_KEY: KEY }, ledger, health: sharedHealth(logs, (message) => console.error(message)) });
    const signal = new AbortController().signal;
    let streamedWords = 0;
    const routed = (stream: boolean, role = 'polecat') => () =>
      router.request({ target: { role }, messages: MESSAGES, signal, stream, runId: 'bench', onEvent: (event) => void (event.type === 'text-delta' && (streamedWords += event.text.split(' ').length - 1)) });
    // The floor sends the same request the adapter does and reads the answer as the adapter must.
    const raw = (stream: boolean) => async () => {
      const response = await request(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: 'gpt-4.1-mini', messages: MESSAGES, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) }),
      });
      if (stream) for await (const _chunk of response.body);
      else await response.body.json();
    };
    // The least any client must do with a stream: split its events and parse each one's JSON.
    const rawParsed = async () => {
      const response = await request(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: 'gpt-4.1-mini', messages: MESSAGES, stream: true, stream_options: { include_usage: true } }),
      });
      let pending = '';
      for await (const chunk of response.body) {
        const events = (pending + chunk.toString('utf8')).split('\n\n');
        pending = events.pop() ?? '';
        for (const event of events) if (event.startsWith('data: {')) JSON.parse(event.slice(6));
      }
    };

    const plain = await interleaved(2000, raw(false), routed(false));
    const floorCpu = median([await cpuPerCall(2000, raw(false)), await cpuPerCall(2000, raw(false))]);
    const routerCpu = median([await cpuPerCall(2000, routed(false)), await cpuPerCall(2000, routed(false))]);
    streamedWords = 0;
    const streamed = await interleaved(40, raw(true), routed(true));
    // Every answer is 2,000 words (one per token), passed on in text-delta events.
    if (streamedWords % 2000 !== 0 || streamedWords === 0) throw new Error(`the router streamed ${streamedWords} words, not 2,000 per answer`);
    const parsed = await interleaved(40, rawParsed, routed(true));
    const slowCall = routed(false, 'mayor');
    const concurrency = await interleaved(100, slowCall, () => Promise.all(Array.from({ length: 8 }, slowCall)));
    await ledger.close();
    return [
      ['router, plain call (chain, retries, events, ledger)', `${(plain.subject * 1000).toFixed(0)} µs`, `${(plain.floor * 1000).toFixed(0)} µs (raw undici.request)`, ratio(plain.subject, plain.floor), '≤ 1.10×'],
      ['router, plain call: CPU per call', `${routerCpu.toFixed(0)} µs`, `${floorCpu.toFixed(0)} µs (raw undici.request)`, ratio(routerCpu, floorCpu), '≤ 1.10×'],
      ['router, 2,000-token stream to text events', `${streamed.subject.toFixed(1)} ms`, `${streamed.floor.toFixed(1)} ms (raw undici.request, body read)`, ratio(streamed.subject, streamed.floor), '≤ 1.15×'],
      ['same stream, against a floor that parses it', `${parsed.subject.toFixed(1)} ms`, `${parsed.floor.toFixed(1)} ms (raw request + JSON.parse per event)`, ratio(parsed.subject, parsed.floor), ''],
      ['router, 8 concurrent calls (provider answers in 20 ms)', `${concurrency.subject.toFixed(1)} ms`, `${concurrency.floor.toFixed(1)} ms (one router call)`, ratio(concurrency.subject, concurrency.floor), '≤ 1.2×'],
    ];
  } finally {
    child.kill();
  }
}

if (require.main === module) {
  void routerRows().then((rows) => {
    for (const row of rows) console.log(row.join(' | '));
  });
}
