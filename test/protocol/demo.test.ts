// `npm run demo`, the README's first command after `npm install`: a whole `et run` against the
// stand-in team, from the built CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

describe('npm run demo', () => {
  it('runs a task end to end and writes a Go project', async () => {
    const output = path.join(mkdtempSync(path.join(tmpdir(), 'et-demo-')), 'demo-output');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'demo.mjs')], { env: { PATH: process.env.PATH, ET_DEMO_OUTPUT: output } });
    assert.match(readFileSync(path.join(output, 'greet', 'greet.go'), 'utf8'), /^func Greeting\(name string\) string \{$/m);
    assert.match(readFileSync(path.join(output, 'main.go'), 'utf8'), /greet\.Greeting\(\*name\)/);
    assert.match(stdout, /go run \. -name Ada/);
    assert.match(stderr, /^wrote 5 files into /m);
    assert.match(stderr, /^run [0-9a-f]{10} succeeded$/m);
  });
});
