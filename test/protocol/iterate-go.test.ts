// --iterate on a Go project (`go build ./...`, detected from go.mod) whose two workers both wrote a
// compile error: each error goes to the worker that wrote its file, and the build is green in round two.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../server/src/protocol';
import { FakeOpenAi } from '../helpers/fake-openai';
import { fileBlock, team } from '../helpers/fake-team';
import { greeterConfig } from '../helpers/greeter-scenario';
import { requireTool } from '../helpers/require-tool';
import { runEt } from '../helpers/run-cli';

const PLAN = '1. Write go.mod, main.go and greet/greet.go with Greeting(name string) string.\n2. Write shout/shout.go with Shout(text string) string.';
const GO_MOD = 'module example.com/greeter\n\ngo 1.19\n';
const GREET_BROKEN = 'package greet\n\nfunc Greeting(name string) string {\n\treturn 42\n}\n';
const GREET = 'package greet\n\nfunc Greeting(name string) string {\n\treturn "Hello, " + name\n}\n';
const MAIN = 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greeter/greet"\n\t"example.com/greeter/shout"\n)\n\nfunc main() {\n\tfmt.Println(shout.Shout(greet.Greeting("Ada")))\n}\n';
const SHOUT_BROKEN = 'package shout\n\nimport "strings"\n\nfunc Shout(text string) string {\n\treturn strings.ToUpperr(text)\n}\n';
const SHOUT = SHOUT_BROKEN.replace('ToUpperr', 'ToUpper');

describe('et run --iterate on a Go project', function () {
  this.timeout(120_000);

  // CI installs Go (.ci/run); a machine without it cannot run this test, and says so.
  before(function () {
    requireTool(this, 'go', 'apt-get install golang-go');
  });

  it('sends each worker the errors in its own file, and is green after one fix round', async () => {
    const openai = await FakeOpenAi.start();
    try {
      const directory = mkdtempSync(path.join(tmpdir(), 'et-iterate-go-'));
      const config = path.join(directory, 'electrictown.yaml');
      writeFileSync(config, greeterConfig(openai.baseUrl));
      const scripted = team((call) => {
        switch (call.phase) {
          case 'decompose':
            return PLAN;
          case 'work':
          case 'validate':
            return call.subtask === 1 ? `${fileBlock('go.mod', GO_MOD)}\n${fileBlock('main.go', MAIN)}\n${fileBlock('greet/greet.go', GREET_BROKEN)}` : fileBlock('shout/shout.go', SHOUT_BROKEN);
          case 'review':
            return 'SCORE: 8\nREASON: Fine.\nFINDINGS: none';
          case 'fix':
            return call.subtask === 1 ? fileBlock('greet/greet.go', GREET) : fileBlock('shout/shout.go', SHOUT);
          default:
            return 'A Go greeter.';
        }
      });
      openai.respondWith(scripted.responder);
      const result = await runEt(['--config', config, 'run', '--output-dir', 'out', '--no-coordinate', '--iterate', 'Write a greeter in Go'], { cwd: directory, env: { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789', PATH: process.env.PATH, GOCACHE: path.join(directory, 'go-cache'), GOFLAGS: '-mod=mod' } });
      assert.equal(result.exitCode, 0, result.stderr);
      const fixes = scripted.calls.filter((call) => call.phase === 'fix').sort((a, b) => (a.subtask ?? 0) - (b.subtask ?? 0));
      assert.deepEqual(fixes.map((call) => call.subtask), [1, 2]);
      assert.match(fixes[0].user, /greet\/greet\.go — as it is now:[\s\S]*Errors:\n- greet\/greet\.go:4:9: /);
      assert.match(fixes[1].user, /shout\/shout\.go — as it is now:[\s\S]*Errors:\n- shout\/shout\.go:6:17: undefined: strings\.ToUpperr/);
      assert.doesNotMatch(fixes[1].user, /greet\.go/);
      const folder = path.join(directory, 'logs', readdirSync(path.join(directory, 'logs')).find((name) => name.includes('_')) as string);
      const saved: RunRecord = JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8'));
      // Round 1 stops at the build; round 2 runs every gate: build, vet, test (Go's tests: none here).
      assert.deepEqual(saved.build?.attempts.map((attempt) => [attempt.iteration, attempt.gate, attempt.command, attempt.status]), [[1, 'build', 'go build ./...', 'failed'], [2, 'build', 'go build ./...', 'passed'], [2, 'vet', 'go vet ./...', 'passed'], [2, 'test', 'go test ./...', 'no-tests']]);
      assert.equal(readFileSync(path.join(directory, 'out', 'greet', 'greet.go'), 'utf8'), GREET);
      assert.equal(readFileSync(path.join(directory, 'out', 'shout', 'shout.go'), 'utf8'), SHOUT);
    } finally {
      await openai.stop();
    }
  });
});
