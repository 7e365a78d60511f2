// A round's gate logs and diffs set aside in round-N/ as the next round opens, and its record pointing there.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BuildRecord } from '../../../server/src/protocol';
import { isRoundFile, setAsideBuild, setRoundFilesAside } from '../../../server/src/run/follow-up/round-files';

describe('round files', () => {
  it('knows the files a round overwrites: gate logs (old and new names) and diffs.json, nothing else', () => {
    for (const name of ['_gate_test_iter1.log', '_gate_build_setup.log', '_build_iter2.log', 'diffs.json']) assert.equal(isRoundFile(name), true, name);
    for (const name of ['run.json', 'summary.json', '_synthesis.md', '_decisions.jsonl', '_transcript.jsonl', 'worker-1.out', 'review.json', '_build_iterx.log']) assert.equal(isRoundFile(name), false, name);
  });

  it("points the ended round's logs at round-N/", () => {
    const build = { status: 'passed', attempts: [{ iteration: 1, gate: 'test', log: '_gate_test_iter1.log' }], setup: [{ name: 'install', log: '_gate_install_setup.log' }] } as unknown as BuildRecord;
    const moved = setAsideBuild(build, 2);
    assert.deepEqual([moved.attempts[0].log, moved.setup?.[0].log, moved.status], ['round-2/_gate_test_iter1.log', 'round-2/_gate_install_setup.log', 'passed']);
    assert.equal(build.attempts[0].log, '_gate_test_iter1.log', 'the record it came from is unchanged');
  });

  it('moves them into round-N/, leaving the rest of the run folder', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'et-round-files-'));
    for (const name of ['_gate_test_iter1.log', 'diffs.json', 'run.json', '_synthesis.md']) writeFileSync(path.join(folder, name), name);
    assert.deepEqual((await setRoundFilesAside(folder, 1)).sort(), ['_gate_test_iter1.log', 'diffs.json']);
    assert.deepEqual(readdirSync(folder).sort(), ['_synthesis.md', 'round-1', 'run.json']);
    assert.equal(readFileSync(path.join(folder, 'round-1', 'diffs.json'), 'utf8'), 'diffs.json');
    assert.deepEqual(await setRoundFilesAside(folder, 2), [], 'nothing to set aside: no round-2/');
    assert.deepEqual(readdirSync(folder).sort(), ['_synthesis.md', 'round-1', 'run.json']);
  });
});
