import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INFLIGHT_FOLDER, inflightAttempts, recordInterrupted } from '../../../server/src/cost/inflight';
import { parseLedger } from '../../../server/src/cost/ledger';
import { forgetLedgerIndexes, ledgerCosts } from '../../../server/src/cost/ledger-index';

const attempt = (provider: string) => ({ time: '2026-12-07T03:00:00.000Z', runId: 'run-a', subtask: 2, purpose: 'work', role: 'polecat', provider, providerType: 'openai', alias: 'coder', modelId: 'gpt-x' });

describe('attempts under way', () => {
  it('are in the process’s in-flight file while they run, and the file is gone when none is', () => {
    const logs = mkdtempSync(path.join(tmpdir(), 'et-inflight-'));
    const file = path.join(logs, INFLIGHT_FOLDER, `${process.pid}.json`);
    const inflight = inflightAttempts(logs);
    const first = inflight.start(attempt('one'));
    const second = inflight.start(attempt('two'));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).map((entry: { provider: string }) => entry.provider), ['one', 'two']);
    inflight.end(first);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).map((entry: { provider: string }) => entry.provider), ['two']);
    inflight.end(second);
    assert.equal(existsSync(file), false);
  });

  it('of a process that was killed are recorded as interrupted, once, and counted apart in the costs', async () => {
    const logs = mkdtempSync(path.join(tmpdir(), 'et-inflight-'));
    const ledger = path.join(logs, 'ledger.jsonl');
    mkdirSync(path.join(logs, INFLIGHT_FOLDER));
    // A dead process's file (a pid far past any in use), and a live one's that is left alone.
    const dead = 2 ** 22 + 12_345;
    writeFileSync(path.join(logs, INFLIGHT_FOLDER, `${dead}.json`), JSON.stringify([attempt('killed-a'), attempt('killed-b')]));
    writeFileSync(path.join(logs, INFLIGHT_FOLDER, `${process.ppid}.json`), JSON.stringify([attempt('still-running')]));
    assert.equal(await recordInterrupted(logs, ledger, (pid) => pid !== dead), 2);
    assert.equal(await recordInterrupted(logs, ledger, (pid) => pid !== dead), 0, 'claimed once');
    const entries = parseLedger(readFileSync(ledger, 'utf8')).entries;
    assert.deepEqual(entries.map((entry) => [entry.provider, entry.outcome, entry.usd, entry.tokens.input, entry.runId, entry.subtask]), [
      ['killed-a', 'interrupted', null, null, 'run-a', 2],
      ['killed-b', 'interrupted', null, null, 'run-a', 2],
    ]);
    assert.deepEqual(readdirSync(path.join(logs, INFLIGHT_FOLDER)), [`${process.ppid}.json`]);
    forgetLedgerIndexes();
    const costs = await ledgerCosts(ledger, 'role');
    assert.deepEqual([costs.total.attempts, costs.total.interruptedAttempts, costs.total.unpricedAttempts], [2, 2, 0]);
  });
});
