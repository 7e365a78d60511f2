// `npm run demo`, the README's first command after `npm install`: a whole `et run` against the
// stand-in team, from the built CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

describe('npm run demo', () => {
  it('runs a task end to end and writes a Go project, then edits it in place', async () => {
    const output = path.join(mkdtempSync(path.join(tmpdir(), 'et-demo-')), 'demo-output');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'demo.mjs')], { env: { PATH: process.env.PATH, ET_DEMO_OUTPUT: output } });
    assert.match(readFileSync(path.join(output, 'greet', 'greet.go'), 'utf8'), /^func Greeting\(name string\) string \{$/m);
    assert.match(readFileSync(path.join(output, 'main.go'), 'utf8'), /greet\.Greeting\(\*name\)/);
    assert.match(stdout, /go run \. -name Ada/);
    assert.match(stderr, /^wrote 5 files into /m);
    // The second task edits the project the first wrote: nothing it was not asked to change is lost.
    const greet = readFileSync(path.join(output, 'greet', 'greet.go'), 'utf8');
    assert.ok(greet.includes('func Greeting(name string) string') && greet.includes('func Shout(text string) string') && greet.includes('import "strings"'), greet);
    assert.match(readFileSync(path.join(output, 'greet', 'greet_test.go'), 'utf8'), /func TestGreeting[\s\S]*func TestShout/);
    assert.match(readFileSync(path.join(output, 'main.go'), 'utf8'), /flag\.Bool\("shout"[\s\S]*greet\.Shout\(greeting\)/);
    assert.match(stderr, /^wrote 3 files into .*\n  greet\/greet\.go \(edited: 2 blocks, \+7 −0, subtask 1\)\n  greet\/greet_test\.go \(edited: 1 block, \+6 −0, subtask 1\)\n  main\.go \(edited: 1 block, \+6 −1, subtask 2\)$/m);
    assert.equal([...stderr.matchAll(/^run [0-9a-f]{10} succeeded$/gm)].length, 2, stderr);
  });
});
