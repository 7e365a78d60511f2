// The project map (server/src/project-map/) on a 5,000-file project made of real JavaScript and
// TypeScript from node_modules:
//   cold build   buildProjectIndex without a cache, in a fresh process (the parser's WebAssembly loads too)
//                floor: a recursive readdir + stat and every file's bytes read, in a fresh process
//   warm build   the same with its cache and nothing changed, in process
//                floor: a recursive readdir + stat of the same tree
//   memory       the cold build's peak RSS, against the floor process's
//   the map      the rendered map's estimated tokens at the default budget
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, promises as fs, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { buildProjectIndex, DEFAULT_MAP_TOKENS, rankFiles, renderMap } from '../server/src/project-map';
import { estimateTokens } from '../server/src/providers/token-estimate';
import { median } from './measure';
import type { Row } from './router';

const ROOT = path.join(__dirname, '..');
const FILES = 5000;
const SOURCE = /\.(?:js|mjs|cjs|ts)$/;

function sourceFiles(folder: string, found: string[]): string[] {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) sourceFiles(full, found);
    else if (entry.isFile() && SOURCE.test(entry.name)) {
      const size = statSync(full).size;
      if (size >= 200 && size <= 200 * 1024) found.push(full);
    }
  }
  return found;
}

/** 5,000 files spread evenly over every package's sources, copied with `node_modules` renamed (the map skips it). */
export function makeProject(): string {
  const modules = path.join(ROOT, 'node_modules');
  const all = sourceFiles(modules, []).sort();
  if (all.length < FILES) throw new Error(`node_modules has only ${all.length} source files`);
  const project = mkdtempSync(path.join(tmpdir(), 'et-bench-map-'));
  for (let index = 0; index < FILES; index++) {
    const source = all[Math.floor((index * all.length) / FILES)];
    const target = path.join(project, ...path.relative(modules, source).split(path.sep).map((part) => (part === 'node_modules' ? 'deps' : part)));
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(source, target);
  }
  return project;
}

async function inFreshProcess(mode: 'cold' | 'read-floor', project: string): Promise<{ ms: number; files: number; peakRssMb: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, 'project-map-worker.ts'), mode, project], { cwd: ROOT });
  return JSON.parse(stdout);
}

async function statTree(folder: string): Promise<void> {
  for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await statTree(full);
    else await fs.stat(full);
  }
}

export async function projectMapRows(): Promise<Row[]> {
  const project = makeProject();
  const cacheFile = path.join(mkdtempSync(path.join(tmpdir(), 'et-bench-map-cache-')), 'map-cache.json');
  try {
    // Alternating, so drift on a shared machine hits both alike.
    const cold: { ms: number; files: number; peakRssMb: number }[] = [];
    const coldFloor: { ms: number; peakRssMb: number }[] = [];
    for (let run = 0; run < 3; run++) {
      coldFloor.push(await inFreshProcess('read-floor', project));
      cold.push(await inFreshProcess('cold', project));
    }
    const first = await buildProjectIndex({ root: project, cacheFile });
    const warm: number[] = [];
    const warmFloor: number[] = [];
    for (let run = 0; run < 11; run++) {
      let started = performance.now();
      const index = await buildProjectIndex({ root: project, cacheFile });
      warm.push(performance.now() - started);
      if (index.stats.parsed !== 0) throw new Error(`a warm build parsed ${index.stats.parsed} files`);
      started = performance.now();
      await statTree(project);
      warmFloor.push(performance.now() - started);
    }
    const map = renderMap(first, rankFiles(first, { files: [], identifiers: [] }), DEFAULT_MAP_TOKENS);
    const lines = map.trimEnd().split('\n');
    const isPath = (line: string) => !line.startsWith(' ') && !line.startsWith('…');
    const shown = lines.filter(isPath).length;
    const withSymbols = lines.filter((line, at) => isPath(line) && (lines[at + 1] ?? '').startsWith(' ')).length;
    const definitions = first.files.reduce((sum, file) => sum + file.definitions.length, 0);
    const coldMs = median(cold.map((sample) => sample.ms));
    const coldFloorMs = median(coldFloor.map((sample) => sample.ms));
    const warmMs = median(warm);
    const warmFloorMs = median(warmFloor);
    const rss = median(cold.map((sample) => sample.peakRssMb));
    const rssFloor = median(coldFloor.map((sample) => sample.peakRssMb));
    const cacheMb = statSync(cacheFile).size / (1024 * 1024);
    return [
      [`project map, ${FILES.toLocaleString('en-US')} JS/TS files (${definitions.toLocaleString('en-US')} definitions): cold build`, `${(coldMs / 1000).toFixed(2)} s`, `${coldFloorMs.toFixed(0)} ms (readdir + stat + read every file)`, `${(coldMs / coldFloorMs).toFixed(1)}×`, ''],
      ['same, warm: cached, nothing changed', `${warmMs.toFixed(0)} ms`, `${warmFloorMs.toFixed(0)} ms (readdir + stat)`, `${(warmMs / warmFloorMs).toFixed(2)}×`, ''],
      ['same, peak memory of the cold build (RSS)', `${rss.toFixed(0)} MB`, `${rssFloor.toFixed(0)} MB (the floor's process)`, `${(rss / rssFloor).toFixed(2)}×`, ''],
      [`same, the map at the default budget (${DEFAULT_MAP_TOKENS.toLocaleString('en-US')} tokens)`, `${estimateTokens(map).toLocaleString('en-US')} tokens`, `${shown} of ${first.files.length.toLocaleString('en-US')} files (${withSymbols} with symbols); cache ${cacheMb.toFixed(1)} MB`, '', ''],
    ];
  } finally {
    rmSync(project, { recursive: true, force: true });
    rmSync(path.dirname(cacheFile), { recursive: true, force: true });
  }
}

if (require.main === module) {
  void projectMapRows().then((rows) => {
    for (const row of rows) console.log(row.join(' | '));
  });
}
