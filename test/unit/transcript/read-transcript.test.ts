// Pages of a run's transcript read from its folder: whole lines only, about a page at a time, a line
// longer than a page whole, a torn last line left for later, a cursor at the end empty; a run from
// before the transcript rebuilt from its record and kept answers; a deleted folder said as such.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord, TranscriptEntry } from '../../../server/src/protocol';
import { newRunRecord, subtaskRecord } from '../../../server/src/run/run-record';
import type { RunSettings } from '../../../server/src/run/run-options';
import { readTranscriptPage, TranscriptGoneError } from '../../../server/src/transcript/read-transcript';
import { parseEntries, wholeLinesEnd } from '../../../server/src/transcript/transcript-page';

function folderWith(record: (folder: string) => RunRecord): { folder: string; record: RunRecord } {
  const folder = mkdtempSync(path.join(tmpdir(), 'et-transcript-read-'));
  return { folder, record: record(folder) };
}

function finishedRecord(folder: string, status: RunRecord['status'] = 'succeeded'): RunRecord {
  const record = newRunRecord({ id: 'abcdef0123', settings: { task: 'Build a greeter', flags: {}, outputDirectory: '/tmp/out' } as unknown as RunSettings, config: { path: '/tmp/electrictown.yaml', sha256: '0' }, folder, startedAt: new Date('2026-12-01T10:00:00Z'), pid: process.pid });
  record.status = status;
  record.endedAt = '2026-12-01T10:05:00.000Z';
  return record;
}

function call(seq: number, text: string): TranscriptEntry {
  return { kind: 'call', at: '2026-12-01T10:00:01.000Z', seq, role: 'polecat', purpose: 'work', subtask: seq, model: 'coder', prompt: { messages: 2, chars: 10, text: 'Write it' }, text, error: undefined, attempts: [], durationMs: 5 };
}

const line = (entry: TranscriptEntry) => `${JSON.stringify(entry)}\n`;
/** As the entry comes back from the file (no undefined fields). */
const stored = (entry: TranscriptEntry): TranscriptEntry => JSON.parse(JSON.stringify(entry));

describe('transcript pages', () => {
  it('finds where the whole lines of a chunk end', () => {
    assert.equal(wholeLinesEnd(Buffer.from('{"a":1}\n{"b"')), 8);
    assert.equal(wholeLinesEnd(Buffer.from('{"b"')), 0);
    assert.deepEqual(parseEntries(`${line(call(1, 'x'))}not json\n{"no":"kind"}\n\n`).map((entry) => entry.kind), ['call']);
  });

  it('reads a transcript page by page from byte cursors; together the pages are the whole, in order', async () => {
    const { folder, record } = folderWith((folder) => finishedRecord(folder));
    const entries = Array.from({ length: 40 }, (_, index) => call(index + 1, `answer ${index + 1} `.repeat(20)));
    writeFileSync(path.join(folder, '_transcript.jsonl'), entries.map(line).join(''));
    const seen: TranscriptEntry[] = [];
    let cursor = 0;
    let pages = 0;
    for (;;) {
      const page = await readTranscriptPage(folder, record, cursor, 2048);
      pages++;
      assert.equal(page.run.status, 'succeeded');
      assert.ok(page.entries.length > 0);
      seen.push(...page.entries);
      cursor = page.cursor;
      if (!page.more) break;
    }
    assert.ok(pages >= 5, `${pages} pages`);
    assert.deepEqual(seen, entries.map(stored));
    const atEnd = await readTranscriptPage(folder, record, cursor, 2048);
    assert.deepEqual([atEnd.entries, atEnd.cursor, atEnd.more], [[], cursor, false]);
  });

  it('returns a line longer than a page whole, and leaves a torn last line until its newline is there', async () => {
    const { folder, record } = folderWith((folder) => finishedRecord(folder, 'running'));
    const long = call(1, 'y'.repeat(10_000));
    const file = path.join(folder, '_transcript.jsonl');
    const torn = line(call(2, 'second'));
    writeFileSync(file, line(long) + torn.slice(0, 20));
    const first = await readTranscriptPage(folder, record, 0, 1024);
    assert.equal(first.entries.length, 1);
    assert.equal(JSON.stringify(first.entries[0]), JSON.stringify(long));
    assert.equal(first.cursor, Buffer.byteLength(line(long)));
    assert.equal(first.more, true);
    const waiting = await readTranscriptPage(folder, record, first.cursor, 1024);
    assert.deepEqual([waiting.entries, waiting.cursor], [[], first.cursor]);
    appendFileSync(file, torn.slice(20));
    const next = await readTranscriptPage(folder, record, first.cursor, 1024);
    assert.deepEqual(next.entries, [stored(call(2, 'second'))]);
  });

  it('gives a gate entry the end of its log', async () => {
    const { folder, record } = folderWith((folder) => finishedRecord(folder, 'failed'));
    writeFileSync(path.join(folder, '_gate_build_iter1.log'), `${'noise\n'.repeat(2000)}main.go:3:1: undefined: greet\n`);
    const build: TranscriptEntry = { kind: 'build', at: '2026-12-01T10:03:00.000Z', iteration: 1, gate: 'build', gateKind: 'build', command: 'go build ./...', status: 'failed', passed: false, errors: 1, durationMs: 900, log: '_gate_build_iter1.log' };
    writeFileSync(path.join(folder, '_transcript.jsonl'), line(build));
    const [entry] = (await readTranscriptPage(folder, record)).entries;
    assert.ok(entry.kind === 'build' && entry.output?.startsWith('…') && entry.output.endsWith('undefined: greet\n') && entry.output.length <= 4001);
  });

  it("rebuilds a run from before the transcript from its record, answers, outputs, review and summary, once", async () => {
    const { folder, record } = folderWith((folder) => finishedRecord(folder));
    record.subtasks = [subtaskRecord({ index: 1, text: 'Write greet', dependsOn: [], specialist: undefined, files: ['src/greet.ts'] }), subtaskRecord({ index: 2, text: 'Write main', dependsOn: [1], specialist: undefined, files: [] })];
    record.subtasks[0].model = 'coder';
    record.subtasks[0].review = { score: 8, reason: 'Fine.', passed: true, model: 'judge' };
    record.subtasks[1].output = 'worker-2.out';
    record.synthesis = '_synthesis.md';
    mkdirSync(path.join(folder, 'answers'));
    writeFileSync(path.join(folder, 'answers', '1.md'), 'the answer of 1');
    writeFileSync(path.join(folder, 'worker-2.out'), 'the output of 2');
    writeFileSync(path.join(folder, '_synthesis.md'), 'All done.');
    const page = await readTranscriptPage(folder, record);
    assert.equal(page.source, 'record');
    assert.deepEqual(page.entries.map((entry) => (entry.kind === 'call' ? `${entry.role}:${entry.subtask}:${entry.text ?? entry.review?.reason}` : entry.kind)), ['plan', 'polecat:1:the answer of 1', 'witness:1:Fine.', 'polecat:2:the output of 2', 'summary']);
    const plan = page.entries[0];
    assert.deepEqual(plan.kind === 'plan' && plan.subtasks[0].files, ['src/greet.ts']);
    const again = await readTranscriptPage(folder, record, page.cursor);
    assert.deepEqual([again.entries, again.more], [[], false]);
  });

  it('says so when the run folder is gone', async () => {
    const { folder, record } = folderWith((folder) => finishedRecord(folder));
    rmSync(folder, { recursive: true });
    await assert.rejects(readTranscriptPage(folder, record), (error: unknown) => error instanceof TranscriptGoneError && error.message.includes(folder));
  });
});
