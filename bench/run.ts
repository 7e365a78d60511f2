// npm run bench: the figures the README reports, each next to a floor measured in the same run on the
// same machine, so ratios stay meaningful across machines.
//   diagnostics  analyzeConfig on a 2,000-line config after an edit   floor: yaml.parseDocument of the same text
//   cold start   `et serve --stdio` spawn → initialize reply           floor: node spawn → one stdio echo
//   et version   spawn → exit                                         floor: `node -e 0`
//   idle memory  server RSS after opening the example config          floor: RSS of an idle `node`
//   router       plain calls, a 2,000-token stream, 8 concurrent calls  floor: raw undici.request (bench/router.ts)
//   run engine   8 and 64 subtasks over `et serve --stdio`               floor: the same calls, raw (bench/run-engine.ts)
//   iterate      engine time per build round; reading a 64-subtask run to resume it (bench/iterate.ts)
//   project map  a 5,000-file project's index, cold and cached; memory; the map's tokens   floor: readdir,
//                stat and read of the same tree (bench/project-map.ts)
//   edits        one SEARCH/REPLACE block on a 10,000-line file            floor: indexOf of the SEARCH (bench/edits.ts)
//   runs list    listRuns over 1,000 runs in one day, first and warm      floor: reading each summary.json raw (bench/runs-list.ts)
//   costs        et costs / the Costs view over a 100,000-attempt ledger   floor: reading the ledger or its index raw (bench/costs.ts)
//   failover     budget overshoot with 8 and 32 workers; a hung primary with a ready fallback (bench/failover.ts)
//   prompt cache an 8-worker run sharing a ~20k-token prefix on Anthropic: input read from the cache, cost
//                floor: the same run against a provider that caches nothing (bench/prompt-cache.ts)
//   mcp          `et mcp` start → initialize; a run_status call; tools/call run → first progress and → answer
//                floors: node start + stdio echo, an MCP ping, `et version` (bench/mcp.ts)
//   pre-flight   Run Task's check of 4 roles on 2 endpoints, a new server's first and a cached one
//                floors: the model-list GETs raw; the request without a config (bench/preflight.ts)
//   run view     a 64-subtask run's 5 MB transcript: kept per call, first page, all pages, per live update
//                floors: appending / reading the same bytes raw (bench/transcript.ts)
//   run view in VS Code  first paint, per-message cost in the webview, extension host CPU, activation,
//                when a VS Code is at hand   floors: a trivial webview, an empty message's round trip,
//                the same run with the view closed (bench/editor-view.ts)
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { analyzeConfig } from '../server/src/config/analyze';
import { IncrementalYamlParser } from '../server/src/config/incremental-yaml';
import { LspProcess, SERVER_BUNDLE } from '../test/helpers/lsp-process';
import { median } from './measure';
import { routerRows, type Row } from './router';
import { iterateRows } from './iterate';
import { projectMapRows } from './project-map';
import { editsRows } from './edits';
import { runEngineRows } from './run-engine';
import { runsListRows } from './runs-list';
import { costsRows } from './costs';
import { failoverRows } from './failover';
import { promptCacheRows } from './prompt-cache';
import { mcpRows } from './mcp';
import { preflightRows } from './preflight';
import { transcriptRows } from './transcript';
import { editorViewBenchRows } from './editor-view';

const ROOT = path.join(__dirname, '..');

/** A realistic config of 2,000 lines: 4 providers, 317 aliases, roles and specialists. */
export function largeConfig(): string {
  const lines = ['providers:'];
  for (const [name, type] of [['local', 'ollama'], ['anthropic', 'anthropic'], ['openai', 'openai'], ['gemini', 'gemini']]) {
    lines.push(`  ${name}:`, `    type: ${type}`, `    base_url: https://${name}.example.com/v1beta`, `    api_key: $${name.toUpperCase()}_KEY`);
  }
  lines.push('models:');
  for (let index = 0; index < 317; index++) {
    lines.push(`  model-${index}:`, `    provider: ${['local', 'anthropic', 'openai', 'gemini'][index % 4]}`, `    model: family-${index}`, `    context_window: 128000`, `    max_tokens: 8192`, `    pricing: { input: 1.25, output: 10 }`);
  }
  lines.push('roles:');
  for (const role of ['mayor', 'polecat', 'witness', 'refinery']) lines.push(`  ${role}:`, `    model: model-${role.length}`, `    fallbacks: [model-1, model-2, model-3]`, `    temperature: 0.2`);
  lines.push('specialists:');
  for (let index = 0; index < 30; index++) lines.push(`  spec-${index}:`, `    model: model-${index}`, `    description: specialist ${index}`);
  lines.push('defaults:', '  model: model-0', '  workers: 8');
  return `${lines.join('\n')}\n`;
}

function timeInProcess(run: (iteration: number) => void, iterations: number): number {
  for (let warmup = 0; warmup < 5; warmup++) run(warmup);
  const samples: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    const start = performance.now();
    run(iteration);
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function timeSpawn(args: string[], untilOutput: boolean, input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    if (untilOutput) {
      child.stdout.once('data', () => {
        resolve(performance.now() - start);
        child.kill();
      });
    } else {
      child.on('exit', () => resolve(performance.now() - start));
    }
    child.on('error', reject);
    if (input !== undefined) child.stdin.write(input);
  });
}

async function medianOf(runs: number, measure: () => Promise<number>): Promise<number> {
  await measure();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) samples.push(await measure());
  return median(samples);
}

function residentMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const text = largeConfig();
  const lineCount = text.split('\n').length - 1;
  const edited = (iteration: number) => text.replace('max_tokens: 8192', `max_tokens: ${8192 + iteration}`);
  // As the server does: one incremental parser per document, edit after edit.
  const parser = new IncrementalYamlParser();
  const diagnostics = timeInProcess((iteration) => analyzeConfig(edited(iteration), {}, parser), 60);
  const fullCheck = timeInProcess((iteration) => analyzeConfig(edited(iteration), {}), 60);
  const parseFloor = timeInProcess((iteration) => parseDocument(edited(iteration)), 60);
  rows.push([`diagnostics, ${lineCount}-line config, after an edit`, `${diagnostics.toFixed(1)} ms`, `${parseFloor.toFixed(1)} ms (yaml full parse only)`, `${(diagnostics / parseFloor).toFixed(2)}×`, '≤ 20 ms']);
  rows.push([`same, without the incremental parse (the CLI's path)`, `${fullCheck.toFixed(1)} ms`, `${parseFloor.toFixed(1)} ms (yaml full parse only)`, `${(fullCheck / parseFloor).toFixed(2)}×`, '']);

  const initialize = `Content-Length: ${Buffer.byteLength(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }))}\r\n\r\n${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } })}`;
  const coldStart = await medianOf(31, () => timeSpawn([SERVER_BUNDLE, 'serve', '--stdio'], true, initialize));
  const echoFloor = await medianOf(31, () => timeSpawn(['-e', "process.stdin.once('data', (d) => process.stdout.write(d))"], true, 'x'));
  rows.push(['`et serve --stdio` start → initialize reply', `${coldStart.toFixed(0)} ms`, `${echoFloor.toFixed(0)} ms (node start + stdio echo)`, `${(coldStart / echoFloor).toFixed(2)}×`, '≤ 150 ms']);

  const version = await medianOf(31, () => timeSpawn([SERVER_BUNDLE, 'version'], false));
  const nodeFloor = await medianOf(31, () => timeSpawn(['-e', '0'], false));
  rows.push(['`et version`', `${version.toFixed(0)} ms`, `${nodeFloor.toFixed(0)} ms (node -e 0)`, `${(version / nodeFloor).toFixed(2)}×`, '≤ 100 ms']);

  const server = LspProcess.start();
  await server.initialize();
  const example = path.join(ROOT, 'electrictown.yaml');
  const uri = pathToFileURL(example).toString();
  server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(example, 'utf8') } });
  await server.waitFor((message) => message.method === 'textDocument/publishDiagnostics');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const serverRss = residentMegabytes(server.child.pid ?? 0);
  await server.shutdown();
  const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleRss = residentMegabytes(idle.pid ?? 0);
  idle.kill();
  rows.push(['server memory, idle after opening the example config', `${serverRss.toFixed(1)} MB`, `${idleRss.toFixed(1)} MB (idle node)`, `${(serverRss / idleRss).toFixed(2)}×`, '≤ 60 MB']);

  rows.push(...(await routerRows()));
  rows.push(...(await runEngineRows()));
  rows.push(...(await iterateRows()));
  rows.push(...(await projectMapRows()));
  rows.push(...editsRows());
  rows.push(...(await runsListRows()));
  rows.push(...(await costsRows()));
  rows.push(...(await failoverRows()));
  rows.push(...(await promptCacheRows()));
  rows.push(...(await mcpRows()));
  rows.push(...(await preflightRows()));
  rows.push(...(await transcriptRows()));
  rows.push(...(await editorViewBenchRows()));

  const header: [string, string, string, string, string] = ['measure', 'median', 'floor, same run', 'ratio', 'target'];
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const format = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const os = await import('node:os');
  const report = [
    `Measured with node ${process.version} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}:`,
    '',
    format(header),
    format(widths.map((width) => '-'.repeat(width))),
    ...rows.map(format),
  ].join('\n');
  console.log(report);
  // `npm run bench -- --write-readme` puts the table into the README between its bench markers.
  if (process.argv.includes('--write-readme')) {
    const readme = path.join(ROOT, 'README.md');
    const text = readFileSync(readme, 'utf8');
    writeFileSync(readme, text.replace(/(<!-- bench:start -->\n)[\s\S]*?(\n<!-- bench:end -->)/, `$1${report}$2`));
  }
}

if (require.main === module) void main();
