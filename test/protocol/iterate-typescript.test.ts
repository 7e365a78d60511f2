// --iterate on a TypeScript project whose two workers both wrote a type error: one build, each error to
// the worker that wrote its file, green in round two. Then the same run killed with SIGKILL in the middle
// of round two and resumed: it ends green without asking again for work that was done.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../server/src/protocol';
import { FakeOpenAi } from '../helpers/fake-openai';
import { fileBlock, team, type TeamCall } from '../helpers/fake-team';
import { greeterConfig } from '../helpers/greeter-scenario';
import { SERVER_BUNDLE } from '../helpers/lsp-process';
import { runRecordIn, until } from '../helpers/poll';
import { runEt, TEST_HOME } from '../helpers/run-cli';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };
const TSC = path.join(__dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
const BUILD = `${JSON.stringify(process.execPath)} ${JSON.stringify(TSC)} --noEmit -p .`;
const PLAN = '1. Write tsconfig.json and src/math.ts exporting add(a, b).\n2. Write src/main.ts printing add(1, 2). [depends: 1]';
const TSCONFIG = '{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "commonjs", "types": [] }, "include": ["src"] }\n';
const MATH_BROKEN = 'export function add(a: number, b: number): number {\n  return `${a + b}`;\n}\n';
const MATH = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const MAIN_BROKEN = "import { add } from './math';\n\nconst sum: string = add(1, 2);\nconsole.log(sum);\n";
const MAIN = "import { add } from './math';\n\nconst sum: number = add(1, 2);\nconsole.log(sum);\n";

function typescriptTeam(fix: (call: TeamCall) => string | undefined) {
  return (call: TeamCall): string => {
    switch (call.phase) {
      case 'decompose':
        return PLAN;
      case 'work':
      case 'validate':
        return call.subtask === 1 ? `${fileBlock('tsconfig.json', TSCONFIG)}\n${fileBlock('src/math.ts', MATH_BROKEN)}` : fileBlock('src/main.ts', MAIN_BROKEN);
      case 'review':
        return 'SCORE: 8\nREASON: Fine.\nFINDINGS: none';
      case 'fix':
        return fix(call) ?? (call.subtask === 1 ? fileBlock('src/math.ts', MATH) : fileBlock('src/main.ts', MAIN));
      default:
        return 'math.ts and main.ts.';
    }
  };
}


describe('et run --iterate on a TypeScript project', function () {
  this.timeout(60_000);
  let openai: FakeOpenAi;
  let directory: string;
  let config: string;
  const logs = () => path.join(directory, 'logs');
  const record = (): RunRecord => runRecordIn(logs());
  const out = (...parts: string[]) => path.join(directory, 'out', ...parts);

  beforeEach(async () => {
    openai = await FakeOpenAi.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-iterate-ts-'));
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, greeterConfig(openai.baseUrl));
  });
  afterEach(() => openai.stop());

  it('sends each worker the errors in its own file, and is green after one fix round', async () => {
    const scripted = team(typescriptTeam(() => undefined));
    openai.respondWith(scripted.responder);
    const result = await runEt(['--config', config, 'run', '--output-dir', 'out', '--no-coordinate', '--iterate', '--build-cmd', BUILD, 'Write an adder'], { cwd: directory, env: KEY });
    assert.equal(result.exitCode, 0, result.stderr);
    const fixes = scripted.calls.filter((call) => call.phase === 'fix').sort((a, b) => (a.subtask ?? 0) - (b.subtask ?? 0));
    assert.deepEqual(fixes.map((call) => [call.subtask, call.model]), [[1, 'coder-1'], [2, 'coder-1']]);
    assert.match(fixes[0].user, /src\/math\.ts — as it is now:[\s\S]*Errors:\n- src\/math\.ts:2:3: TS2322: Type 'string' is not assignable to type 'number'\./);
    assert.doesNotMatch(fixes[0].user, /src\/main\.ts —/);
    assert.match(fixes[1].user, /src\/main\.ts — as it is now:[\s\S]*Errors:\n- src\/main\.ts:3:7: TS2322: Type 'number' is not assignable to type 'string'\./);
    const build = record().build;
    assert.deepEqual(build?.attempts.map((attempt) => [attempt.passed, attempt.errors, attempt.fixes.map((fix) => fix.subtask).sort()]), [[false, 2, [1, 2]], [true, 0, []]]);
    assert.equal(readFileSync(out('src', 'math.ts'), 'utf8'), MATH);
    assert.equal(readFileSync(out('src', 'main.ts'), 'utf8'), MAIN);
  });

  it('resumes a run killed in the middle of round two and ends green without repeating finished work', async () => {
    let killed = false;
    const scripted = team(typescriptTeam(() => undefined));
    openai.respondWith((request) => {
      const reply = scripted.responder(request);
      const call = scripted.calls.at(-1);
      // Round two: subtask 1's fix lands, subtask 2's never comes back before the kill.
      return call?.phase === 'fix' && call.subtask === 2 && !killed ? { kind: 'hang' } : reply;
    });
    const child = spawn(process.execPath, [SERVER_BUNDLE, '--config', config, 'run', '--output-dir', 'out', '--no-coordinate', '--iterate', '--build-cmd', BUILD, 'Write an adder'], { cwd: directory, env: { PATH: process.env.PATH, HOME: TEST_HOME, ...KEY }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await until(() => scripted.calls.some((call) => call.phase === 'fix' && call.subtask === 2), 'the second fix to be asked for');
    await until(() => existsSync(out('src', 'math.ts')) && readFileSync(out('src', 'math.ts'), 'utf8') === MATH, 'the first fix to be written');
    await until(() => record().build?.attempts.length === 1, 'the first build to be recorded');
    // The ledger and run.json are written a few ms after a call (a kill may lose that much): the counts
    // compared below need the first fix in both before the kill.
    const ledgerLines = () => (existsSync(path.join(logs(), 'ledger.jsonl')) ? readFileSync(path.join(logs(), 'ledger.jsonl'), 'utf8').trim().split('\n').length : 0);
    await until(() => ledgerLines() === 6, 'the first fix to reach the ledger');
    await until(() => record().subtasks[0]?.attempts.some((attempt) => attempt.purpose === 'fix') === true, 'the first fix to reach run.json');
    child.kill('SIGKILL');
    await exited;
    killed = true;

    const result = await runEt(['--config', config, 'run', '--resume', record().id], { cwd: directory, env: KEY });
    assert.equal(result.exitCode, 0, result.stderr);
    const count = (phase: string, subtask?: number) => scripted.calls.filter((call) => call.phase === phase && call.subtask === subtask).length;
    // The plan, the work and subtask 1's fix were asked for once; subtask 2's fix again, after the kill.
    assert.deepEqual([count('decompose'), count('work', 1), count('work', 2), count('fix', 1), count('fix', 2)], [1, 1, 1, 1, 2]);
    const saved = record();
    assert.deepEqual([saved.status, saved.build?.status, saved.build?.attempts.length, saved.resumedAt.length], ['succeeded', 'passed', 3, 1]);
    assert.equal(readFileSync(out('src', 'main.ts'), 'utf8'), MAIN);
    assert.equal(ledgerLines(), saved.totals.requests);
  });
});
