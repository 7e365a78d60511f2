// --iterate on a Node project decided by its gates: the setup step installs its dependency from the
// registry once, then its node:test suite runs; a failing test goes to the worker that wrote the code it
// tests, and the run ends green. A project whose test script is npm's placeholder gets no test gate.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runOn } from '../helpers/existing-project';
import { editBlock, fileBlock } from '../helpers/fake-team';

const PACKAGE = JSON.stringify({ name: 'numbers', version: '1.0.0', private: true, scripts: { test: 'node --test' }, dependencies: { 'is-number': '7.0.0' } }, null, 2);
const MATH = "const isNumber = require('is-number');\n\nfunction add(a, b) {\n  if (!isNumber(a) || !isNumber(b)) throw new TypeError('numbers only');\n  return a + b;\n}\n\nmodule.exports = { add };\n";
const MUL_BUGGY = editBlock('math.js', 'module.exports = { add };', "function mul(a, b) {\n  if (!isNumber(a) || !isNumber(b)) throw new TypeError('numbers only');\n  return a * b + 1;\n}\n\nmodule.exports = { add, mul };", 'js');
const MUL_FIX = editBlock('math.js', '  return a * b + 1;', '  return a * b;', 'js');
const TEST = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add, mul } = require('./math');\n\ntest('add', () => {\n  assert.strictEqual(add(2, 3), 5);\n});\n\ntest('mul', () => {\n  assert.strictEqual(mul(2, 3), 6);\n});\n";

describe('et run --iterate: gates on a Node project', function () {
  this.timeout(180_000);

  it('installs the dependencies once, runs node:test, and sends a failing test to the author of the code it tests', async () => {
    let fixes = 0;
    const { result, record, project, calls } = await runOn({ 'package.json': PACKAGE, 'math.js': MATH }, ['--no-coordinate', '--iterate', 'Add mul with a test'], (call) => {
      switch (call.phase) {
        case 'decompose':
          return '1. Add mul(a, b) to math.js and export it. [files: math.js]\n2. Test add and mul in math.test.js with node:test. [files: math.test.js]';
        case 'work':
          return call.subtask === 1 ? MUL_BUGGY : fileBlock('math.test.js', TEST);
        case 'review':
          return 'SCORE: 8\nREASON: Fine.\nFINDINGS: none';
        case 'fix':
          fixes++;
          return MUL_FIX;
        default:
          return 'mul, tested.';
      }
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(fixes, 1);
    const fix = calls.find((call) => call.phase === 'fix');
    assert.equal(fix?.subtask, 1, 'the author of math.js fixes it');
    assert.match(fix?.user ?? '', /math\.js[^\n]*: test mul \(math\.test\.js:\d+\) failed: [\s\S]*7[\s\S]*6/);
    assert.deepEqual(record.build?.setup?.map((step) => [step.name, step.command, step.passed]), [['install', 'npm install --no-audit --no-fund', true]]);
    assert.ok(existsSync(path.join(project, 'node_modules', 'is-number')), 'the setup step installed the dependency');
    assert.deepEqual(record.build?.attempts.map((attempt) => [attempt.iteration, attempt.gate, attempt.status]), [
      [1, 'test', 'failed'],
      [2, 'test', 'passed'],
    ]);
    assert.equal(record.build?.attempts[1].tests?.passed, 2);
    execFileSync(process.execPath, ['--test'], { cwd: project, stdio: 'ignore' });
  });

  it('reports npm ci failing on a lockfile out of sync as the setup’s failure, with npm’s message, and asks no worker to fix it', async () => {
    const lock = JSON.stringify({ name: 'numbers', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'numbers', version: '1.0.0' } } }, null, 2);
    const { result, record, calls } = await runOn({ 'package.json': PACKAGE, 'package-lock.json': lock, 'math.js': MATH }, ['--no-coordinate', '--iterate', 'Add mul'], (call) =>
      call.phase === 'decompose' ? '1. Add mul(a, b) to math.js. [files: math.js]' : call.phase === 'work' ? editBlock('math.js', 'module.exports = { add };', 'function mul(a, b) {\n  return a * b;\n}\n\nmodule.exports = { add, mul };', 'js') : call.phase === 'review' ? 'SCORE: 8\nREASON: Fine.\nFINDINGS: none' : 'mul.',
    );
    assert.equal(result.exitCode, 3, result.stderr);
    assert.deepEqual(record.build?.setup?.map((step) => [step.name, step.command, step.passed]), [['install', 'npm ci --no-audit --no-fund', false]]);
    assert.match(record.build?.reason ?? '', /^the setup step install \(npm ci --no-audit --no-fund\) failed with exit 1; see _gate_install_setup\.log$/);
    assert.match(result.stderr, /the setup step install/);
    assert.deepEqual(record.build?.attempts, [], 'no gate runs on a project that could not be set up');
    assert.equal(calls.some((call) => call.phase === 'fix'), false);
  });
});
