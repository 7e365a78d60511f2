// The run view's data for a 64-subtask run with 5 MB of answers (bench/run.ts adds these rows):
//   record       the transcript kept as the run goes: every call's entry (a 78 KB answer redacted,
//                serialised, appended through the run folder's queue)   floor: appendFile of the same
//                lines, one per call
//   first page   electrictown/getTranscript's first page, found by run id in the log folder, as the
//                server answers it (run.json read, 256 KB of lines read and parsed)   floor: reading the
//                same bytes from disk; and the page's size as a message
//   all pages    every page of the 5 MB, one after another   floor: readFile of the whole file
//   per event    a live view following a `transcript-append`: the one new call fetched from its cursor
//                floor: reading the same bytes from disk
// The webview's own paint is not reachable from here (it runs in VS Code's renderer); the in-editor
// test checks that it renders, not how fast.
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunRecord } from '../server/src/protocol';
import type { RoutedResult } from '../server/src/router/router';
import type { EngineDependencies } from '../server/src/run/engine';
import { RunFolder, TRANSCRIPT_FILE } from '../server/src/run/run-folder';
import { newRunRecord, subtaskRecord } from '../server/src/run/run-record';
import type { RunSettings } from '../server/src/run/run-options';
import { readTranscriptPage, storedTranscriptPage } from '../server/src/transcript/read-transcript';
import { TranscriptRecorder } from '../server/src/transcript/transcript-recorder';
import { median } from './measure';
import type { Row } from './router';

const SUBTASKS = 64;
/** 64 answers of this size: 5 MB. */
const ANSWER_CHARS = 80_000;
const ITERATIONS = 15;

function answer(subtask: number): string {
  const line = `export function part${subtask}(value: number): number { return value * ${subtask}; } // a line of generated code\n`;
  return `===FILE: src/part${subtask}.ts===\n${line.repeat(Math.ceil(ANSWER_CHARS / line.length)).slice(0, ANSWER_CHARS)}\n===ENDFILE===\n`;
}

const ATTEMPT = { type: 'attempt-end' as const, reference: 'coder', alias: undefined, provider: 'team', providerType: 'openai' as const, modelId: 'coder-1', outcome: 'ok' as const, sent: true, usage: { inputTokens: 4200, cachedInputTokens: 0, outputTokens: 20_000, reasoningTokens: 0 }, usageEstimated: false, usd: 0.08, durationMs: 9000, sequence: 1 };

/** A 64-subtask run's calls, recorded through the real recorder into a real run folder. */
async function recordRun(logs: string): Promise<{ folder: RunFolder; record: RunRecord; lines: string[]; recordMs: number }> {
  const id = Math.random().toString(16).slice(2, 12).padEnd(10, '0');
  const settings = { task: 'Build 64 parts', flags: {}, outputDirectory: path.join(logs, 'out') } as unknown as RunSettings;
  let record: RunRecord | undefined;
  const folder = await RunFolder.create(logs, id, new Date(), (directory) => (record = newRunRecord({ id, settings, config: { path: 'electrictown.yaml', sha256: '0' }, folder: directory, startedAt: new Date(), pid: process.pid })));
  const run = record as RunRecord;
  run.subtasks = Array.from({ length: SUBTASKS }, (_, index) => subtaskRecord({ index: index + 1, text: `Write part ${index + 1}`, dependsOn: [], specialist: undefined, files: [`src/part${index + 1}.ts`] }));
  const recorder = new TranscriptRecorder(folder, ['bench-secret-value-0123456789']);
  const deps = recorder.wrap({
    router: {
      chainFor: () => ({}) as never,
      pricingFor: () => undefined,
      request: async (request: Parameters<EngineDependencies["router"]["request"]>[0]) => {
        request.onEvent?.(ATTEMPT);
        const purpose = request.tags?.purpose;
        const text = purpose === 'work' ? answer(request.tags?.subtask ?? 0) : purpose === 'review' ? 'SCORE: 8\nREASON: Fine.' : 'Done.';
        return { result: { text }, entry: { reference: 'coder' }, attempts: [] } as unknown as RoutedResult;
      },
    },
    emit: () => undefined,
  } as unknown as EngineDependencies);
  recorder.attach({ record: run, warn: () => undefined });
  const call = (purpose: string, subtask?: number) => deps.router.request({ target: { role: purpose === 'review' ? 'witness' : purpose === 'work' ? 'polecat' : 'mayor' }, messages: [{ role: 'user', content: `Do ${purpose} ${subtask ?? ''}` }], signal: new AbortController().signal, tags: { purpose, subtask } });
  const started = performance.now();
  await call('decompose');
  deps.emit({ kind: 'plan-ready', subtasks: run.subtasks.map(({ index, text, dependsOn, specialist, plannedFiles }) => ({ index, text, dependsOn, specialist, files: plannedFiles })) });
  for (let index = 1; index <= SUBTASKS; index++) {
    await call('work', index);
    await call('review', index);
  }
  await call('synthesize');
  deps.emit({ kind: 'synthesis-end', text: 'Done.' });
  await folder.settled();
  const recordMs = performance.now() - started;
  run.status = 'succeeded';
  await folder.saveRecord(run);
  await folder.settled();
  const text = await readFile(path.join(folder.directory, TRANSCRIPT_FILE), 'utf8');
  return { folder, record: run, lines: text.split('\n').filter(Boolean).map((line) => `${line}\n`), recordMs };
}

async function readBytes(file: string, start: number, length: number): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.read(Buffer.alloc(length), 0, length, start);
  } finally {
    await handle.close();
  }
}

async function time(run: () => Promise<unknown>): Promise<number> {
  for (let warmup = 0; warmup < 3; warmup++) await run();
  const samples: number[] = [];
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

const ms = (value: number) => (value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(1)} ms`);
const ratio = (subject: number, floor: number) => `${(subject / floor).toFixed(2)}×`;

export async function transcriptRows(): Promise<Row[]> {
  const logs = mkdtempSync(path.join(tmpdir(), 'et-bench-transcript-'));
  try {
    // Recording: median of a few whole runs, against appending the same lines raw.
    const recordings: number[] = [];
    const floors: number[] = [];
    let last: Awaited<ReturnType<typeof recordRun>> | undefined;
    for (let run = 0; run < 5; run++) {
      last = await recordRun(logs);
      recordings.push(last.recordMs);
      const raw = path.join(logs, `raw-${run}.jsonl`);
      const started = performance.now();
      for (const line of last.lines) appendFileSync(raw, line);
      floors.push(performance.now() - started);
    }
    const { folder, record, lines } = last as Awaited<ReturnType<typeof recordRun>>;
    const file = path.join(folder.directory, TRANSCRIPT_FILE);
    const size = statSync(file).size;
    const calls = lines.length - 2;
    const rows: Row[] = [];
    const recordMs = median(recordings);
    const appendFloor = median(floors);
    rows.push([`run view: keep a 64-subtask run's transcript (${calls} calls, ${(size / 1e6).toFixed(1)} MB), per call`, ms(recordMs / calls), `${ms(appendFloor / calls)} (appendFile of the same line)`, ratio(recordMs, appendFloor), '']);

    const first = await storedTranscriptPage(logs, record.id, 0);
    const firstMs = await time(() => storedTranscriptPage(logs, record.id, 0));
    const firstFloor = await time(() => readBytes(file, 0, first.cursor));
    const messageKb = Buffer.byteLength(JSON.stringify(first)) / 1024;
    rows.push([`run view: first page by run id (server), ${first.entries.length} entries`, ms(firstMs), `${ms(firstFloor)} (reading its ${(first.cursor / 1024).toFixed(0)} KB from disk)`, ratio(firstMs, firstFloor), '≤ 50 ms']);
    rows.push(['same, the page as a message', `${messageKb.toFixed(0)} KB`, '', '', '']);

    let pages = 0;
    const allMs = await time(async () => {
      pages = 0;
      for (let cursor = 0; ; pages++) {
        const page = await readTranscriptPage(folder.directory, record, cursor);
        cursor = page.cursor;
        if (!page.more) break;
      }
    });
    const wholeFloor = await time(() => readFile(file));
    rows.push([`run view: all ${pages + 1} pages of the 5 MB, one after another`, ms(allMs), `${ms(wholeFloor)} (readFile of the whole file)`, ratio(allMs, wholeFloor), '']);

    // Following a live run: each of the last 32 calls fetched alone from the cursor before it.
    const offsets: number[] = [];
    for (let index = 0, offset = 0; index < lines.length; index++) {
      offsets.push(offset);
      offset += Buffer.byteLength(lines[index]);
    }
    const tail = offsets.map((offset, index) => [offset, offsets[index + 1] ?? size] as const).slice(-32);
    const perEvent = await time(async () => {
      for (const [cursor] of tail) await readTranscriptPage(folder.directory, record, cursor);
    });
    const perEventFloor = await time(async () => {
      for (const [cursor, end] of tail) await readBytes(file, cursor, end - cursor);
    });
    rows.push(['run view: per live update, one new call fetched from its cursor', ms(perEvent / tail.length), `${ms(perEventFloor / tail.length)} (reading its bytes from disk)`, ratio(perEvent, perEventFloor), '']);
    return rows;
  } finally {
    rmSync(logs, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void transcriptRows().then((rows) => {
    for (const row of rows) console.log(row.join(' | '));
  });
}
