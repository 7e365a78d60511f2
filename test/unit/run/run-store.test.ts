import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../../server/src/protocol';
import { listRuns, readRun, REFINED_FILE, RunNotFoundError, storedSummary } from '../../../server/src/run/run-store';
import { RunFolder } from '../../../server/src/run/run-folder';

interface Run {
  id: string;
  day: string;
  startedAt: string;
  endedAt?: string;
  status?: string;
  usd?: number;
}

/** A log directory with a run folder and a minimal run.json for each run. */
function logDirectory(runs: Run[]): string {
  const logs = mkdtempSync(path.join(tmpdir(), 'et-store-'));
  for (const run of runs) {
    const folder = path.join(logs, `${run.day}_${run.id}`);
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'run.json'), JSON.stringify(record(run, folder), null, 2));
  }
  return logs;
}

function record(run: Run, folder: string) {
  return { version: 1, id: run.id, task: `task ${run.id}`, status: run.status ?? 'succeeded', startedAt: run.startedAt, endedAt: run.endedAt, folder, totals: { usd: run.usd ?? 0.01, unpricedAttempts: 1 } };
}

const runs: Run[] = [
  { id: 'aaaaaaaaaa', day: '2026-03-01', startedAt: '2026-03-01T08:00:00.000Z', endedAt: '2026-03-01T08:05:00.000Z', usd: 0.5 },
  // Two runs of one day whose folder names sort against their start times.
  { id: '0000000001', day: '2026-03-02', startedAt: '2026-03-02T15:00:00.000Z', endedAt: undefined, status: 'running' },
  { id: 'ffffffffff', day: '2026-03-02', startedAt: '2026-03-02T09:00:00.000Z', endedAt: '2026-03-02T09:30:00.000Z', status: 'failed' },
  { id: 'cccccccccc', day: '2026-02-28', startedAt: '2026-02-28T23:00:00.000Z', endedAt: '2026-02-28T23:01:00.000Z' },
];

/** The runs' log directory, with a newest run that crashed mid-write and things that are not runs. */
function populated(): string {
  const logs = logDirectory(runs);
  mkdirSync(path.join(logs, '2026-03-03_bbbbbbbbbb'));
  writeFileSync(path.join(logs, '2026-03-03_bbbbbbbbbb', 'run.json'), '{"version": 1, "id": "bbbbbbbbbb", "task": "cut sh');
  mkdirSync(path.join(logs, 'notes'));
  mkdirSync(path.join(logs, '2026-03-04_not-a-run'));
  writeFileSync(path.join(logs, '2026-03-04_not-a-run', 'run.json'), JSON.stringify(record({ id: 'not-a-run', day: '2026-03-04', startedAt: '2026-03-04T00:00:00.000Z' }, 'x')));
  writeFileSync(path.join(logs, 'costs.jsonl'), '');
  return logs;
}

describe('the run store', () => {
  it('lists the runs newest first by start time, leaving out unreadable runs and other folders', async () => {
    const logs = populated();
    const listed = await listRuns(logs, 50);
    assert.deepEqual(
      listed.map((run) => run.id),
      ['0000000001', 'ffffffffff', 'aaaaaaaaaa', 'cccccccccc'],
    );
    assert.deepEqual(listed[2], {
      id: 'aaaaaaaaaa',
      task: 'task aaaaaaaaaa',
      status: 'succeeded',
      startedAt: '2026-03-01T08:00:00.000Z',
      endedAt: '2026-03-01T08:05:00.000Z',
      folder: path.join(logs, '2026-03-01_aaaaaaaaaa'),
      usd: 0.5,
      unpricedAttempts: 1,
      interrupted: false,
    });
    assert.equal(listed[0].endedAt, undefined);
    assert.equal(listed[0].status, 'running');
  });

  it('honours the limit, reading the whole of the last day it needs', async () => {
    const logs = populated();
    assert.deepEqual((await listRuns(logs, 1)).map((run) => run.id), ['0000000001']);
    assert.deepEqual((await listRuns(logs, 3)).map((run) => run.id), ['0000000001', 'ffffffffff', 'aaaaaaaaaa']);
    assert.deepEqual(await listRuns(logs, 0), []);
  });

  it('lists from each run’s summary.json, and from its record where the summary is missing, torn or says running', async () => {
    const logs = logDirectory([
      { id: '1111111111', day: '2026-04-01', startedAt: '2026-04-01T10:00:00.000Z', status: 'succeeded', usd: 0.25 },
      { id: '2222222222', day: '2026-04-01', startedAt: '2026-04-01T11:00:00.000Z', status: 'succeeded' },
      { id: '3333333333', day: '2026-04-01', startedAt: '2026-04-01T12:00:00.000Z', status: 'failed' },
    ]);
    const folder = (id: string) => path.join(logs, `2026-04-01_${id}`);
    // The summary is what is read: the record of this run is not even whole.
    writeFileSync(path.join(folder('1111111111'), 'summary.json'), JSON.stringify({ ...storedSummary(record({ id: '1111111111', day: '2026-04-01', startedAt: '2026-04-01T10:00:00.000Z', usd: 0.25 }, folder('1111111111')) as unknown as RunRecord), pid: 1 }));
    writeFileSync(path.join(folder('1111111111'), 'run.json'), '{"version": 1, "id": "1111');
    // A summary that says running is checked against the record, written before it.
    writeFileSync(path.join(folder('2222222222'), 'summary.json'), JSON.stringify({ version: 1, id: '2222222222', task: 'task 2222222222', status: 'running', startedAt: '2026-04-01T11:00:00.000Z', folder: folder('2222222222'), usd: 0, unpricedAttempts: 0, pid: 1 }));
    writeFileSync(path.join(folder('3333333333'), 'summary.json'), '{"version": 1, "id": "33');
    const listed = await listRuns(logs, 10);
    assert.deepEqual(listed.map((run) => [run.id, run.status, run.usd, run.interrupted]), [
      ['3333333333', 'failed', 0.01, false],
      ['2222222222', 'succeeded', 0.01, false],
      ['1111111111', 'succeeded', 0.25, false],
    ]);
  });

  it('sees a succeeded run refined by another process: its summary.json, rewritten as the round starts, is read again', async () => {
    const logs = logDirectory([{ id: '4444444444', day: '2026-04-02', startedAt: '2026-04-02T10:00:00.000Z', status: 'succeeded' }]);
    const folder = path.join(logs, '2026-04-02_4444444444');
    const summary = (status: string, pid: number) => JSON.stringify({ version: 1, id: '4444444444', task: 'task 4444444444', status, startedAt: '2026-04-02T10:00:00.000Z', folder, usd: 0.01, unpricedAttempts: 0, pid });
    writeFileSync(path.join(folder, 'summary.json'), summary('succeeded', 1));
    assert.deepEqual((await listRuns(logs, 10)).map((run) => run.status), ['succeeded']);
    // Another process (here: this one, by hand) starts a follow-up round: record, then summary, replaced whole…
    writeFileSync(path.join(folder, 'run.json'), JSON.stringify({ ...record({ id: '4444444444', day: '2026-04-02', startedAt: '2026-04-02T10:00:00.000Z', status: 'running' }, folder), pid: process.pid }));
    writeFileSync(path.join(folder, 'summary.next'), summary('running', process.pid));
    renameSync(path.join(folder, 'summary.next'), path.join(folder, 'summary.json'));
    assert.deepEqual((await listRuns(logs, 10)).map((run) => run.status), ['succeeded'], 'remembered until told');
    // …and says so in the log directory, after the summary: this process reads that run again.
    appendFileSync(path.join(logs, REFINED_FILE), '2026-04-02_4444444444\n');
    assert.deepEqual((await listRuns(logs, 10)).map((run) => [run.status, run.interrupted]), [['running', false]]);
    // The round ends; the run is remembered again, and an old line does not make it read again.
    writeFileSync(path.join(folder, 'summary.json'), summary('succeeded', process.pid));
    assert.deepEqual((await listRuns(logs, 10)).map((run) => run.status), ['succeeded']);
    writeFileSync(path.join(folder, 'summary.json'), summary('failed', process.pid));
    assert.deepEqual((await listRuns(logs, 10)).map((run) => run.status), ['succeeded'], 'nothing new in the file: not read again');
    // A line half written is read once whole.
    appendFileSync(path.join(logs, REFINED_FILE), '2026-04-02_44444');
    assert.deepEqual((await listRuns(logs, 10)).map((run) => run.status), ['succeeded']);
    appendFileSync(path.join(logs, REFINED_FILE), '44444\n');
    assert.deepEqual((await listRuns(logs, 10)).map((run) => run.status), ['failed']);
  });

  it("announces a follow-up round's first summary to other processes, once", async () => {
    const logs = mkdtempSync(path.join(tmpdir(), 'et-store-'));
    const started = { ...record({ id: '5555555555', day: '2026-04-03', startedAt: '2026-04-03T10:00:00.000Z', status: 'running' }, ''), pid: process.pid } as unknown as RunRecord;
    const folder = await RunFolder.create(logs, '5555555555', new Date(2026, 3, 3), (directory) => ({ ...started, folder: directory }));
    await folder.saveRecord({ ...started, folder: folder.directory });
    assert.equal(existsSync(path.join(logs, REFINED_FILE)), false, 'a round 1 is not announced');
    const refined = { ...started, folder: folder.directory, refinement: 'and tests' } as RunRecord;
    await folder.saveRecord(refined);
    await folder.saveRecord({ ...refined, status: 'succeeded' });
    assert.equal(readFileSync(path.join(logs, REFINED_FILE), 'utf8'), `${path.basename(folder.directory)}\n`);
    assert.equal(JSON.parse(readFileSync(path.join(folder.directory, 'summary.json'), 'utf8')).status, 'succeeded');
  });

  it('lists nothing for a log directory that does not exist yet', async () => {
    assert.deepEqual(await listRuns(path.join(tmpdir(), 'et-store-missing', 'logs'), 10), []);
  });

  it('reads a run by its id', async () => {
    const logs = populated();
    const folder = path.join(logs, '2026-03-02_ffffffffff');
    assert.deepEqual(await readRun(logs, 'ffffffffff'), JSON.parse(JSON.stringify(record(runs[2], folder))));
  });

  it('names an unknown run, and the file of a run it cannot read', async () => {
    const logs = populated();
    await assert.rejects(readRun(logs, '1234567890'), (error: unknown) => {
      assert.ok(error instanceof RunNotFoundError);
      assert.equal(error.message, `no run 1234567890 in ${logs}`);
      return true;
    });
    await assert.rejects(readRun(path.join(logs, 'nowhere'), 'aaaaaaaaaa'), RunNotFoundError);
    const file = path.join(logs, '2026-03-03_bbbbbbbbbb', 'run.json');
    await assert.rejects(readRun(logs, 'bbbbbbbbbb'), (error: unknown) => {
      assert.ok(error instanceof Error && !(error instanceof RunNotFoundError));
      assert.ok(error.message.startsWith(`${file} is not a complete run record (`), error.message);
      return true;
    });
  });
});
