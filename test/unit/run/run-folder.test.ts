import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElectrictownConfig } from '../../../server/src/config/schema';
import type { RunRecord } from '../../../server/src/protocol';
import { newRunId, RunFolder, runFolderName, TRANSCRIPT_FILE } from '../../../server/src/run/run-folder';
import { resolveRunSettings } from '../../../server/src/run/run-options';
import { newRunRecord } from '../../../server/src/run/run-record';

describe('the run folder', () => {
  it('is named by local date and an id of at least 8 hex characters', () => {
    assert.match(newRunId(), /^[0-9a-f]{10}$/);
    assert.equal(runFolderName('a1b2c3d4e5', new Date(2026, 0, 5, 23, 59)), '2026-01-05_a1b2c3d4e5');
  });

  it("appends to a resumed run's transcript and answers each append with the file's size after it", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'et-runs-'));
    writeFileSync(path.join(directory, TRANSCRIPT_FILE), '{"kind":"summary","at":"t","text":"before"}\n');
    const folder = await RunFolder.open(directory);
    const first = await folder.appendTranscript(() => '{"kind":"summary","at":"t","text":"é"}\n');
    const second = await folder.appendTranscript(() => '{"kind":"summary","at":"t","text":"again"}\n');
    const bytes = readFileSync(path.join(directory, TRANSCRIPT_FILE));
    assert.equal(second, bytes.length);
    assert.equal(bytes.subarray(0, first).toString('utf8').split('\n').length, 3);
  });

  it('rewrites run.json atomically in order, appends decisions, and keeps going after a failed write', async () => {
    const logs = mkdtempSync(path.join(tmpdir(), 'et-runs-'));
    const fresh = (directory: string) => newRunRecord({ id: 'a1b2c3d4e5', settings: resolveRunSettings('Write notes', {}, { providers: {} } as ElectrictownConfig, logs), config: { path: 'electrictown.yaml', sha256: '0'.repeat(64) }, folder: directory, startedAt: new Date(2026, 10, 21), pid: process.pid });
    const folder = await RunFolder.create(logs, 'a1b2c3d4e5', new Date(2026, 10, 21), fresh);
    // A folder that exists holds a whole record from its first instant: it can be listed and resumed.
    assert.deepEqual(readdirSync(logs), ['2026-11-21_a1b2c3d4e5']);
    assert.equal(JSON.parse(readFileSync(path.join(folder.directory, 'run.json'), 'utf8')).status, 'running');
    const record = fresh(folder.directory);
    const first = folder.saveRecord(record);
    // Saves asked for before the write starts share it, and it writes the record as it is by then.
    record.warnings.push('changed after saving');
    assert.equal(folder.saveRecord(record), first);
    await first;
    const saved = JSON.parse(readFileSync(path.join(folder.directory, 'run.json'), 'utf8')) as RunRecord;
    assert.deepEqual([saved.status, saved.warnings], ['running', ['changed after saving']]);
    // The list's summary is written beside it.
    assert.deepEqual(JSON.parse(readFileSync(path.join(folder.directory, 'summary.json'), 'utf8')), { version: 1, id: 'a1b2c3d4e5', task: 'Write notes', status: 'running', startedAt: record.startedAt, folder: folder.directory, usd: 0, unpricedAttempts: 0, pid: process.pid });
    assert.deepEqual(readdirSync(folder.directory).sort(), ['answers', 'run.json', 'summary.json'], 'no temp file is left behind');
    await folder.decide({ timestamp: '2026-11-21T10:00:00.000Z', phase: 'decompose', agent: 'mayor', intent: 'plan', action: 'call', outcome: 'ok' });
    // A name the folder cannot write (a directory is in the way) fails that write only.
    await assert.rejects(folder.writeText('worker-1.out', 'x').then(() => folder.writeText('worker-1.out/..' as 'worker-1.out', 'y')));
    await folder.saveRecord({ ...record, status: 'succeeded' });
    await folder.settled();
    assert.equal(JSON.parse(readFileSync(path.join(folder.directory, 'run.json'), 'utf8')).status, 'succeeded');
    assert.equal(readFileSync(path.join(folder.directory, '_decisions.jsonl'), 'utf8').trim().split('\n').length, 1);
    assert.deepEqual(readdirSync(folder.directory).sort(), ['_decisions.jsonl', 'answers', 'run.json', 'summary.json', 'worker-1.out']);
    assert.equal(JSON.parse(readFileSync(path.join(folder.directory, 'summary.json'), 'utf8')).status, 'succeeded');
  });
});
