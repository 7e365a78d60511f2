// A follow-up round on an existing Go project, through `et run`: round 1 adds a DELETE endpoint; the
// user's refinement ("the DELETE endpoint must return 404 for unknown ids") is a second round of the same
// run in which the mayor plans one subtask, and the worker that wrote handler.go goes on from its own
// conversation and changes that one file with a SEARCH/REPLACE edit — which the stand-in model gives only
// when it sees its round-1 answer. The gates pass after; the record and the ledger hold both rounds. A
// third round cancelled at its plan leaves the run as it was; approved, it sets round 2's gate logs aside.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../server/src/protocol';
import { FakeOpenAi } from '../helpers/fake-openai';
import { editBlock, team, type TeamCall } from '../helpers/fake-team';
import { greeterConfig } from '../helpers/greeter-scenario';
import { requireTool } from '../helpers/require-tool';
import { runEt } from '../helpers/run-cli';

const GO_MOD = 'module example.com/items\n\ngo 1.19\n';
const STORE = 'package main\n\nimport "sync"\n\n// Store keeps the items in memory.\ntype Store struct {\n\tmu    sync.Mutex\n\titems map[string]string\n}\n\n// NewStore returns an empty store.\nfunc NewStore() *Store {\n\treturn &Store{items: map[string]string{}}\n}\n\n// Put sets an item.\nfunc (s *Store) Put(id, name string) {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\ts.items[id] = name\n}\n';
const HANDLER = 'package main\n\nimport "net/http"\n\nvar store = NewStore()\n\n// CreateItem handles POST /items/new.\nfunc CreateItem(w http.ResponseWriter, r *http.Request) {\n\tstore.Put(r.URL.Query().Get("id"), r.URL.Query().Get("name"))\n\tw.WriteHeader(http.StatusCreated)\n}\n';
const MAIN = 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.HandleFunc("/items/new", CreateItem)\n\t_ = http.ListenAndServe(":8080", nil)\n}\n';

const PLAN = `1. Add a Delete method to the Store in store.go that says whether the item was there. [files: store.go]
2. Add a DeleteItem handler to handler.go and register /items/delete in main.go. [files: handler.go, main.go] [depends: 1]`;
const STORE_DELETE = editBlock('store.go', '// Put sets an item.', '// Delete removes an item; false when there was none.\nfunc (s *Store) Delete(id string) bool {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\t_, ok := s.items[id]\n\tdelete(s.items, id)\n\treturn ok\n}\n\n// Put sets an item.', 'go');
const DELETE_HANDLER = '// DeleteItem handles DELETE /items/delete.\nfunc DeleteItem(w http.ResponseWriter, r *http.Request) {\n\tstore.Delete(r.URL.Query().Get("id"))\n\tw.WriteHeader(http.StatusNoContent)\n}';
const ADD_HANDLER = editBlock('handler.go', '\tw.WriteHeader(http.StatusCreated)\n}', `\tw.WriteHeader(http.StatusCreated)\n}\n\n${DELETE_HANDLER}`, 'go');
const ROUTE = editBlock('main.go', '\thttp.HandleFunc("/items/new", CreateItem)', '\thttp.HandleFunc("/items/new", CreateItem)\n\thttp.HandleFunc("/items/delete", DeleteItem)', 'go');

const REFINEMENT = 'the DELETE endpoint must return 404 for unknown ids';
const FOLLOW_UP_PLAN = '1. In handler.go, make DeleteItem answer 404 Not Found when the id is unknown (Store.Delete returns false). [files: handler.go]';
const NOT_FOUND = editBlock('handler.go', '\tstore.Delete(r.URL.Query().Get("id"))\n\tw.WriteHeader(http.StatusNoContent)', '\tif !store.Delete(r.URL.Query().Get("id")) {\n\t\thttp.NotFound(w, r)\n\t\treturn\n\t}\n\tw.WriteHeader(http.StatusNoContent)', 'go');

/** The team's stand-in: the follow-up worker edits only when its round-1 answer is in its conversation. */
function scenario(call: TeamCall): string {
  switch (call.phase) {
    case 'decompose':
      return PLAN;
    case 'follow-up':
      return FOLLOW_UP_PLAN;
    case 'work':
      if (call.subtask === 1) return `Store.Delete:\n\n${STORE_DELETE}`;
      if (call.subtask === 2) return `The handler and its route.\n\n${ADD_HANDLER}\n\n${ROUTE}`;
      if (call.subtask === 4) return `Said in its comment.\n\n${editBlock('handler.go', '// DeleteItem handles DELETE /items/delete.', '// DeleteItem handles DELETE /items/delete: 404 for an unknown id.', 'go')}`;
      if (call.subtask === 3) {
        const mine = call.messages.some((message) => message.role === 'assistant' && message.content.includes(ADD_HANDLER));
        return mine ? `My DeleteItem ignores what Delete returns; now it answers 404.\n\n${NOT_FOUND}` : 'Which handler?';
      }
      return 'No.';
    case 'review':
      return 'SCORE: 9\nREASON: Correct.\nFINDINGS: none';
    case 'coordinate':
      return 'Store.Delete(id string) bool; handlers use the package-level store.';
    case 'fix':
      return 'Nothing to fix.';
    default:
      return call.user.includes(REFINEMENT) || call.user.includes('Subtask 3') ? 'DeleteItem now answers 404 for unknown ids.' : 'Added DELETE /items/delete.';
  }
}

describe('a follow-up round on an existing Go project', function () {
  this.timeout(180_000);

  before(function () {
    requireTool(this, 'go', 'apt-get install golang-go');
  });

  it('refines the DELETE endpoint in a second round: the worker that wrote handler.go goes on and edits only it, and the gates pass', async () => {
    const openai = await FakeOpenAi.start();
    try {
      const directory = mkdtempSync(path.join(tmpdir(), 'et-follow-up-go-'));
      const project = path.join(directory, 'project');
      mkdirSync(project);
      for (const [name, content] of Object.entries({ 'go.mod': GO_MOD, 'store.go': STORE, 'handler.go': HANDLER, 'main.go': MAIN })) writeFileSync(path.join(project, name), content);
      const config = path.join(directory, 'electrictown.yaml');
      writeFileSync(config, greeterConfig(openai.baseUrl));
      const scripted = team(scenario);
      openai.respondWith(scripted.responder);
      const et = (args: string[]) => runEt(['--config', config, 'run', ...args], { cwd: directory, env: { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' } });
      const logs = path.join(directory, 'logs');
      const record = (): RunRecord => JSON.parse(readFileSync(path.join(logs, readdirSync(logs).find((name) => /^\d{4}-\d{2}-\d{2}_/.test(name)) as string, 'run.json'), 'utf8'));
      const read = (name: string) => readFileSync(path.join(project, name), 'utf8');

      const first = await et(['--output-dir', 'project', 'Add a DELETE endpoint to the items service']);
      assert.equal(first.exitCode, 0, first.stderr);
      const round1 = record();
      const storeAfter1 = read('store.go');
      const mainAfter1 = read('main.go');
      assert.ok(read('handler.go').includes(DELETE_HANDLER));
      const callsOfRound1 = scripted.calls.length;

      const refined = await et(['--resume', round1.id, REFINEMENT, '--iterate']);
      assert.equal(refined.exitCode, 0, refined.stderr);
      assert.match(refined.stderr, /round 2: the DELETE endpoint must return 404 for unknown ids/);

      // Only handler.go changed, by one SEARCH/REPLACE edit; everything else is as round 1 left it.
      const handler = read('handler.go');
      assert.equal(handler, HANDLER + '\n' + DELETE_HANDLER.replace('\tstore.Delete(r.URL.Query().Get("id"))\n\tw.WriteHeader(http.StatusNoContent)', '\tif !store.Delete(r.URL.Query().Get("id")) {\n\t\thttp.NotFound(w, r)\n\t\treturn\n\t}\n\tw.WriteHeader(http.StatusNoContent)') + '\n');
      assert.deepEqual([read('store.go'), read('main.go')], [storeAfter1, mainAfter1]);
      execFileSync('go', ['vet', './...'], { cwd: project });

      // The round's calls: the follow-up plan, subtask 3 alone (continuing subtask 2), its review, the gates, the summary.
      const round2 = scripted.calls.slice(callsOfRound1);
      assert.deepEqual([...new Set(round2.filter((call) => call.subtask !== undefined).map((call) => call.subtask))], [3]);
      const plan = round2.find((call) => call.phase === 'follow-up');
      assert.match(plan?.user ?? '', /2\. \(round 1, succeeded; wrote handler\.go, main\.go\) Add a DeleteItem handler/);
      assert.match(plan?.user ?? '', /The refinement:\nthe DELETE endpoint must return 404 for unknown ids$/);
      const work = round2.find((call) => call.phase === 'work') as TeamCall;
      assert.match(work.opening, /Your subtask \(2 of 2\):\nAdd a DeleteItem handler/);
      assert.match(work.user, /^The user looked at the result and asks for a refinement:\nthe DELETE endpoint must return 404 for unknown ids/);
      assert.ok(work.user.includes('func DeleteItem(w http.ResponseWriter'), 'handler.go as it is now is in the new turn');

      const saved = record();
      assert.deepEqual([saved.id, saved.status, saved.rounds?.length, saved.rounds?.[0].status], [round1.id, 'succeeded', 1, 'succeeded']);
      assert.deepEqual(saved.subtasks.map((subtask) => [subtask.index, subtask.round ?? 1, subtask.continues]), [[1, 1, undefined], [2, 1, undefined], [3, 2, 2]]);
      assert.deepEqual(saved.changes?.map((change) => [change.path, change.subtasks, change.edits.map((edit) => [edit.kind, edit.blocks])]), [['handler.go', [3], [['edit', 1]]]]);
      assert.deepEqual(saved.rounds?.[0].changes?.map((change) => change.path).sort(), ['handler.go', 'main.go', 'store.go']);
      assert.equal(saved.build?.status, 'passed');
      assert.equal(saved.rounds?.[0].build, undefined, 'round 1 ran no gates');
      const ledger = readFileSync(path.join(logs, 'ledger.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { runId: string });
      assert.equal(ledger.length, scripted.calls.length);
      assert.ok(ledger.every((row) => row.runId === round1.id));
      assert.equal(saved.totals.requests, scripted.calls.length);

      // Round 3, planned and cancelled at its plan: the run is as round 2 left it, its gate logs where they were.
      const gateLogs = () => readdirSync(saved.folder).filter((name) => name.startsWith('_gate_'));
      const round2Logs = gateLogs();
      assert.ok(round2Logs.length > 0 && saved.build?.attempts.every((attempt) => round2Logs.includes(attempt.log)));
      const ask = (answers: string[]) => async () => answers.shift();
      const declined = await runEt(['--config', config, 'run', '--resume', round1.id, 'and 400 for an empty id', '--approve-plan'], { cwd: directory, env: { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' }, ask: ask(['c']) });
      assert.equal(declined.exitCode, 130, declined.stderr);
      const kept = record();
      assert.deepEqual([kept.status, kept.rounds?.length, kept.subtasks.length, kept.build, kept.refinement], [saved.status, 1, 3, saved.build, REFINEMENT]);
      assert.deepEqual(gateLogs(), round2Logs);

      // Round 3 approved: round 2's gate logs move to round-2/, its record in rounds points there; round 3's are at the top.
      const third = await runEt(['--config', config, 'run', '--resume', round1.id, 'and 400 for an empty id', '--approve-plan', '--iterate'], { cwd: directory, env: { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' }, ask: ask(['']) });
      assert.equal(third.exitCode, 0, third.stderr);
      const after = record();
      assert.equal(after.rounds?.length, 2);
      const round2Build = after.rounds?.[1].build;
      assert.ok(round2Build && round2Build.attempts.length > 0);
      for (const attempt of round2Build.attempts) {
        assert.match(attempt.log, /^round-2\/_gate_/);
        assert.ok(readFileSync(path.join(after.folder, attempt.log), 'utf8').length > 0, attempt.log);
      }
      assert.ok(after.build?.attempts.every((attempt) => gateLogs().includes(attempt.log)), "round 3's logs at the top level");
    } finally {
      await openai.stop();
    }
  });
});
