// `et run --resume ID "refinement"` end to end in-process, against a fake OpenAI server: a finished run
// gets a second round in which the mayor plans only the refinement, the worker that wrote the file goes
// on from its own conversation and changes it with SEARCH/REPLACE, and the record and the ledger show
// both rounds under one run id. Runs that cannot be refined are refused with what to do.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../../server/src/protocol';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { team, type TeamCall } from '../../helpers/fake-team';
import { GREET, GREET_HI as HI, greeterConfig, MAIN, README, REFINEMENT, refiningTeam } from '../../helpers/greeter-scenario';
import { runEt } from '../../helpers/run-cli';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };

describe('et run --resume ID "refinement"', () => {
  let openai: FakeOpenAi;
  let directory: string;
  let config: string;
  let logs: string;

  beforeEach(async () => {
    openai = await FakeOpenAi.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-follow-up-'));
    logs = path.join(directory, 'logs');
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, greeterConfig(openai.baseUrl));
  });
  afterEach(() => openai.stop());

  const runFolder = () => path.join(logs, readdirSync(logs).filter((name) => /^\d{4}-\d{2}-\d{2}_[0-9a-f]{10}$/.test(name))[0]);
  const record = (): RunRecord => JSON.parse(readFileSync(path.join(runFolder(), 'run.json'), 'utf8'));
  const out = (...parts: string[]) => path.join(directory, 'out', ...parts);
  const et = (args: string[]) => runEt(['--config', config, 'run', ...args], { cwd: directory, env: KEY });

  it('plans only the refinement, continues the worker that wrote the file, and keeps both rounds in one record and ledger', async () => {
    const scripted = team(refiningTeam);
    openai.respondWith(scripted.responder);
    assert.equal((await et(['--output-dir', 'out', 'Build a greeter'])).exitCode, 0);
    const first = record();
    const firstCalls = scripted.calls.length;
    assert.ok(readdirSync(path.join(runFolder(), 'prompts')).includes('1.json'), 'the first prompt of each worker is kept');

    const refined = await et(['--resume', first.id, REFINEMENT, '--json']);
    assert.equal(refined.exitCode, 0, refined.stderr);
    assert.equal(readFileSync(out('src', 'greet.ts'), 'utf8'), HI);
    assert.equal(readFileSync(out('src', 'main.ts'), 'utf8'), MAIN);
    assert.equal(readFileSync(out('README.md'), 'utf8'), README);

    // The mayor saw the task, what was done, and the refinement; no worker of round 1 ran again.
    const round2 = scripted.calls.slice(firstCalls);
    const plan = round2.find((call) => call.phase === 'follow-up');
    assert.ok(plan, 'the mayor planned the follow-up');
    assert.match(plan.user, /Task:\nBuild a greeter/);
    assert.match(plan.user, /1\. \(round 1, succeeded; wrote src\/greet\.ts\) Write src\/greet\.ts/);
    assert.match(plan.user, /Files written: src\/greet\.ts, src\/main\.ts, README\.md\./);
    assert.match(plan.user, /The team's summary of the last round:\nA greeter library/);
    assert.match(plan.user, /The refinement:\ngreet must say "Hi"/);
    assert.deepEqual(round2.filter((call) => call.phase === 'work').map((call) => call.subtask), [4]);
    assert.equal(round2.filter((call) => call.phase === 'decompose').length, 0);
    // Subtask 4 went on from subtask 1's conversation: its prompt, its answer, then the refinement with the file as it is.
    const work = round2.find((call) => call.phase === 'work') as TeamCall;
    assert.match(work.opening, /Your subtask \(1 of 3\):\nWrite src\/greet\.ts/);
    assert.deepEqual(work.messages.map((message) => message.role), ['system', 'user', 'user', 'assistant', 'user']);
    assert.match(work.user, /^The user looked at the result and asks for a refinement:\ngreet must say "Hi"[\s\S]*Your part of it \(subtask 4\)[\s\S]*return `Hello, \$\{name\}!`/);

    // One record: round 1 kept as it ended, round 2 at the top; the totals count both.
    const saved = record();
    assert.equal(saved.id, first.id);
    assert.equal(saved.status, 'succeeded');
    assert.equal(saved.refinement, REFINEMENT);
    assert.equal(saved.rounds?.length, 1);
    const [round1] = saved.rounds ?? [];
    assert.deepEqual([round1.round, round1.task, round1.status, round1.subtasks], [1, 'Build a greeter', 'succeeded', [1, 2, 3]]);
    assert.deepEqual(round1.files.written.map((file) => file.path).sort(), ['README.md', 'src/greet.ts', 'src/main.ts']);
    assert.equal(round1.synthesis, '_synthesis_round1.md');
    assert.match(readFileSync(path.join(runFolder(), '_synthesis_round1.md'), 'utf8'), /A greeter library/);
    assert.deepEqual(saved.subtasks.map((subtask) => [subtask.index, subtask.round ?? 1, subtask.continues, subtask.status]), [
      [1, 1, undefined, 'succeeded'],
      [2, 1, undefined, 'succeeded'],
      [3, 1, undefined, 'succeeded'],
      [4, 2, 1, 'succeeded'],
    ]);
    assert.deepEqual(saved.files.written.map((file) => [file.path, file.subtask]), [['src/greet.ts', 4]]);
    assert.deepEqual(saved.changes?.map((change) => [change.path, change.edits.map((edit) => edit.kind)]), [['src/greet.ts', ['edit']]]);
    assert.equal(saved.totals.requests, first.totals.requests + round2.length);
    assert.deepEqual([round1.spend.usd, round1.spend.requests], [first.totals.usd, first.totals.requests]);
    assert.ok(saved.totals.usd > round1.spend.usd, 'round 2 cost something, counted on the run');

    // The ledger has every attempt of both rounds under the one run id.
    const ledger = readFileSync(path.join(logs, 'ledger.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(ledger.length, scripted.calls.length);
    assert.ok(ledger.every((entry) => entry.runId === first.id));

    // The NDJSON result is the round's: its file and summary.
    const result = JSON.parse(refined.stdout.trim().split('\n').at(-1) as string);
    assert.equal(result.kind, 'result');
    assert.equal(result.round, 2);
    assert.deepEqual(result.files.map((file: { path: string; diff: string | null }) => [file.path, file.diff?.includes('+  return `Hi, ${name}!`;')]), [['src/greet.ts', true]]);
    // Round 1's diffs are kept beside it, not overwritten by round 2's.
    const round1Diffs = JSON.parse(readFileSync(path.join(runFolder(), 'round-1', 'diffs.json'), 'utf8'));
    assert.deepEqual(round1Diffs.map((diff: { path: string }) => diff.path).sort(), ['README.md', 'src/greet.ts', 'src/main.ts']);
  });

  it("counts the run's budget over every round: a round that would pass it makes no call and stops", async () => {
    const scripted = team(refiningTeam);
    openai.respondWith(scripted.responder);
    assert.equal((await et(['--output-dir', 'out', 'Build a greeter', '--budget', '5'])).exitCode, 0);
    const first = record();
    const calls = scripted.calls.length;
    assert.ok(first.totals.usd > 0 && first.flags.budgetUsd === 5);
    // A budget of exactly what the run has spent leaves nothing for round 2.
    const stopped = await et(['--resume', first.id, REFINEMENT, '--budget', String(first.totals.usd)]);
    assert.equal(stopped.exitCode, 4, stopped.stderr);
    assert.equal(scripted.calls.length, calls, 'no model was asked');
    const saved = record();
    assert.deepEqual([saved.status, saved.flags.budgetUsd, saved.totals.usd, saved.rounds?.length], ['budget_exceeded', first.totals.usd, first.totals.usd, 1]);
    assert.equal(readFileSync(out('src', 'greet.ts'), 'utf8'), GREET);
  });

  it('with --approve-plan, shows the round\'s plan with its cost; cancelled, the run is as it was; edited or approved, it runs', async () => {
    const scripted = team(refiningTeam);
    openai.respondWith(scripted.responder);
    assert.equal((await et(['--output-dir', 'out', 'Build a greeter'])).exitCode, 0);
    const first = record();
    const firstRunJson = readFileSync(path.join(runFolder(), 'run.json'), 'utf8');
    const asking = (answers: string[], questions: string[]) => async (question: string) => {
      questions.push(question);
      return answers.shift();
    };

    const cancelledQuestions: string[] = [];
    // While the round waits at its plan, any process listing runs reads it as running (summary.json).
    let listedAs: string | undefined;
    const askingAndLooking = async (question: string) => {
      listedAs = JSON.parse(readFileSync(path.join(runFolder(), 'summary.json'), 'utf8')).status;
      return asking(['c'], cancelledQuestions)(question);
    };
    const cancelled = await runEt(['--config', config, 'run', '--resume', first.id, REFINEMENT, '--approve-plan'], { cwd: directory, env: KEY, ask: askingAndLooking });
    assert.equal(listedAs, 'running');
    assert.equal(cancelled.exitCode, 130, cancelled.stderr);
    assert.match(cancelledQuestions[0], /^\nThe plan of round 2 \(greet must say "Hi" instead of "Hello"\) \(1 subtask; it may cost up to \$\d+\.\d\d [^\n]*\):\n4\. Make greet in src\/greet\.ts say "Hi" instead of "Hello"\. \[files: src\/greet\.ts\]\n/);
    assert.match(cancelled.stderr, new RegExp(`the refinement was cancelled at its plan: run ${first.id} is as it was \\(succeeded\\)`));
    // The run as it ended: its status, one round, its subtasks and files; its summary not set aside.
    const after = record();
    assert.deepEqual([after.status, after.exitCode, after.rounds, after.refinement, after.subtasks, after.files, after.synthesis, after.endedAt], [first.status, first.exitCode, first.rounds, first.refinement, first.subtasks, first.files, first.synthesis, first.endedAt]);
    assert.ok(existsSync(path.join(runFolder(), '_synthesis.md')) && !existsSync(path.join(runFolder(), '_synthesis_round1.md')));
    assert.ok(existsSync(path.join(runFolder(), 'diffs.json')) && !existsSync(path.join(runFolder(), 'round-1')), 'its diffs not set aside');
    // What the plan cost stays counted, and said.
    const planCalls = scripted.calls.filter((call) => call.phase === 'follow-up').length;
    assert.equal(planCalls, 1);
    assert.equal(after.totals.requests, first.totals.requests + 1);
    assert.match(after.warnings.at(-1) ?? '', /^a refinement \("greet must say "Hi" instead of "Hello""\) was planned and cancelled at its plan, before any worker started; the run is as it was/);
    assert.deepEqual(JSON.parse(readFileSync(path.join(runFolder(), 'summary.json'), 'utf8')).status, 'succeeded');
    assert.equal(readFileSync(out('src', 'greet.ts'), 'utf8'), GREET);
    assert.notEqual(readFileSync(path.join(runFolder(), 'run.json'), 'utf8'), firstRunJson, 'the record counts the plan');

    // Edited: the plan typed again, numbered as shown (on from the run's last subtask), then approved.
    const editedQuestions: string[] = [];
    const edited = await runEt(['--config', config, 'run', '--resume', first.id, REFINEMENT, '--approve-plan'], { cwd: directory, env: KEY, ask: asking(['e', '4. Make greet say "Hi" in src/greet.ts, nothing else. [files: src/greet.ts]', '', ''], editedQuestions) });
    assert.equal(edited.exitCode, 0, edited.stderr);
    assert.match(editedQuestions.at(-1) ?? '', /\n4\. Make greet say "Hi" in src\/greet\.ts, nothing else\. \[files: src\/greet\.ts\]\n/);
    const saved = record();
    assert.deepEqual(saved.subtasks.map((subtask) => [subtask.index, subtask.round ?? 1, subtask.continues, subtask.status]).at(-1), [4, 2, 1, 'succeeded']);
    assert.equal(saved.subtasks.at(-1)?.text, 'Make greet say "Hi" in src/greet.ts, nothing else.');
    assert.equal(readFileSync(out('src', 'greet.ts'), 'utf8'), HI);
    assert.deepEqual([saved.rounds?.length, saved.rounds?.[0].synthesis], [1, '_synthesis_round1.md']);
  });

  it('resumes a follow-up round stopped mid-way with its continuing worker going on from its conversation', async () => {
    let stop = true;
    const scripted = team(refiningTeam);
    openai.respondWith((request) => {
      const reply = scripted.responder(request);
      const call = scripted.calls.at(-1);
      if (stop && call?.phase === 'work' && call.subtask === 4) {
        // The user presses Ctrl-C while subtask 4 is being written.
        stop = false;
        setImmediate(() => process.emit('SIGINT'));
        return { kind: 'hang' };
      }
      return reply;
    });
    assert.equal((await et(['--output-dir', 'out', 'Build a greeter'])).exitCode, 0);
    const { id } = record();
    assert.equal((await et(['--resume', id, REFINEMENT])).exitCode, 130);
    assert.deepEqual([record().status, record().subtasks.at(-1)?.status, record().subtasks.at(-1)?.continues], ['cancelled', 'cancelled', 1]);
    const before = scripted.calls.length;
    const resumed = await et(['--resume', id]);
    assert.equal(resumed.exitCode, 0, resumed.stderr);
    const work = scripted.calls.slice(before).find((call) => call.phase === 'work') as TeamCall;
    assert.deepEqual(work.messages.map((message) => message.role), ['system', 'user', 'user', 'assistant', 'user'], 'subtask 1\'s conversation, then the refinement');
    assert.equal(scripted.calls.slice(before).filter((call) => call.phase === 'follow-up').length, 0, 'the plan is kept');
    assert.equal(readFileSync(out('src', 'greet.ts'), 'utf8'), HI);
    assert.deepEqual([record().status, record().rounds?.length], ['succeeded', 1]);
  });

  it('refuses a cancelled or interrupted run, and options a follow-up does not take', async () => {
    openai.respondWith(team(refiningTeam).responder);
    assert.equal((await et(['--output-dir', 'out', 'Build a greeter'])).exitCode, 0);
    const { id } = record();
    const usage = await et(['--resume', id, REFINEMENT, '--workers', '2']);
    assert.deepEqual([usage.exitCode, usage.stderr.split('\n')[0]], [2, 'error: --resume takes no other options but --budget, --iterate and --approve-plan (got --workers)']);
    const cancelled = { ...record(), status: 'cancelled' };
    writeFileSync(path.join(runFolder(), 'run.json'), JSON.stringify(cancelled));
    const refused = await et(['--resume', id, REFINEMENT]);
    assert.deepEqual([refused.exitCode, refused.stderr], [1, `error: run ${id} was cancelled before its files were written; resume it first (et run --resume ${id}), then refine it\n`]);
    const died = { ...record(), status: 'running', pid: 2 ** 22 + 12345 };
    writeFileSync(path.join(runFolder(), 'run.json'), JSON.stringify(died));
    const interrupted = await et(['--resume', id, REFINEMENT]);
    assert.equal(interrupted.stderr, `error: run ${id} was interrupted; resume it first (et run --resume ${id}), then refine it\n`);
  });
});
