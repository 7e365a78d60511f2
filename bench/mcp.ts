// `et mcp`, as an agent's client sees it (the MCP SDK's own client over stdio), against the fake team
// of bench/team-server.mjs (its own process, every call 20 ms). Each next to a floor taken in the same
// run:
//   start            spawn `et mcp` → `initialize` answered      floor: node start + one stdio echo
//   run_status       one call on a finished run                  floor: an MCP `ping` on the same connection
//   run, progress    `tools/call run` → its first progress notification (the run checked and taken)
//                                                                floor: the same `ping`
//   run, answer      `tools/call run` → its answer (the run's own `et run` process up, its folder made)
//                                                                floor: `et version` (node start + the bundle)
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { SERVER_BUNDLE } from '../test/helpers/lsp-process';
import { median, startFakeServer } from './measure';
import type { Row } from './router';

const KEY = 'bench-key-not-a-secret';
const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } });

/** Spawn → the first bytes on stdout, after writing `input` (newline-delimited, as MCP's stdio is). */
function timeFirstOutput(args: string[], input: string, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], cwd });
    child.stdout.once('data', () => {
      resolve(performance.now() - start);
      child.kill();
    });
    child.on('error', reject);
    child.stdin.write(`${input}\n`);
  });
}

function timeExit(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    child.on('exit', () => resolve(performance.now() - start));
    child.on('error', reject);
  });
}

async function medianOf(runs: number, measure: () => Promise<number>): Promise<number> {
  await measure();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) samples.push(await measure());
  return median(samples);
}

const ms = (value: number) => (value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`);
const ratio = (subject: number, floor: number) => `${(subject / floor).toFixed(2)}×`;

export async function mcpRows(): Promise<Row[]> {
  const rows: Row[] = [];
  const { child: team, port } = await startFakeServer('team-server.mjs');
  const workspace = mkdtempSync(path.join(tmpdir(), 'et-bench-mcp-'));
  writeFileSync(
    path.join(workspace, 'electrictown.yaml'),
    `providers:\n  team: { type: openai, base_url: "http://127.0.0.1:${port}/v1", api_key: $BENCH_KEY }\nmodels:\n  coder: { provider: team, model: coder, pricing: { input: 1, output: 4 } }\nroles:\n  mayor: { model: coder }\n  polecat: { model: coder }\n  witness: { model: coder }\n  refinery: { model: coder }\ndefaults:\n  log_dir: logs\n`,
  );
  try {
    const start = await medianOf(21, () => timeFirstOutput([SERVER_BUNDLE, 'mcp'], INITIALIZE, workspace));
    const echo = await medianOf(21, () => timeFirstOutput(['-e', "process.stdin.once('data', (d) => process.stdout.write(d))"], 'x', workspace));
    rows.push(['`et mcp` start → initialize answered', ms(start), `${ms(echo)} (node start + stdio echo)`, ratio(start, echo), '']);

    const transport = new StdioClientTransport({ command: process.execPath, args: [SERVER_BUNDLE, 'mcp'], cwd: workspace, env: { PATH: process.env.PATH ?? '', HOME: workspace, BENCH_KEY: KEY } });
    const client = new Client({ name: 'bench', version: '1' });
    await client.connect(transport);
    try {
      const call = async (name: string, args: Record<string, unknown>, onprogress?: () => void) => (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000, onprogress })) as CallToolResult;
      const runIds: string[] = [];
      const progressTimes: number[] = [];
      const answerTimes: number[] = [];
      for (let run = 0; run < 8; run++) {
        const asked = performance.now();
        let progressed: number | undefined;
        const answer = await call('run', { task: 'Build 2 subtasks', output_dir: `out-${run}`, coordinate: false, refinery: false }, () => (progressed ??= performance.now()));
        answerTimes.push(performance.now() - asked);
        if (progressed !== undefined) progressTimes.push(progressed - asked);
        const { runId } = answer.structuredContent as { runId: string };
        runIds.push(runId);
        await call('run_status', { run_id: runId, wait_seconds: 120 });
      }
      const pingTimes: number[] = [];
      const statusTimes: number[] = [];
      for (let sample = 0; sample < 200; sample++) {
        let begun = performance.now();
        await client.ping();
        pingTimes.push(performance.now() - begun);
        begun = performance.now();
        await call('run_status', { run_id: runIds[sample % runIds.length] });
        statusTimes.push(performance.now() - begun);
      }
      const ping = median(pingTimes.slice(20));
      const status = median(statusTimes.slice(20));
      rows.push(['`run_status` call, a finished run', ms(status), `${ms(ping)} (MCP ping, same connection)`, ratio(status, ping), '']);
      // The first run of a server loads the config; the rest are the steady state an agent sees.
      const progress = median(progressTimes.slice(1));
      rows.push(['`tools/call run` → first progress notification (run taken)', ms(progress), `${ms(ping)} (MCP ping, same connection)`, ratio(progress, ping), '']);
      const answered = median(answerTimes.slice(1));
      const version = await medianOf(11, () => timeExit([SERVER_BUNDLE, 'version']));
      rows.push(["same, → the answer (the run's `et run` process up, its folder made)", ms(answered), `${ms(version)} (\`et version\`)`, ratio(answered, version), '']);
    } finally {
      await client.close();
    }
  } finally {
    team.kill();
  }
  return rows;
}

if (require.main === module) {
  void mcpRows().then((rows) => {
    for (const row of rows) console.log(row.join(' | '));
  });
}
