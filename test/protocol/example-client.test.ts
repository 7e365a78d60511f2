// The README's example client (examples/headless-run.mjs) drives a run end to end, so the protocol
// documentation stays true.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FakeOpenAi } from '../helpers/fake-openai';
import { team } from '../helpers/fake-team';
import { GREET, goodTeam, greeterConfig } from '../helpers/greeter-scenario';
import { TEST_HOME } from '../helpers/run-cli';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'headless-run.mjs');

describe('the example headless client', () => {
  it('runs a task over et serve --stdio and exits with the run’s code', async () => {
    const openai = await FakeOpenAi.start();
    try {
      openai.respondWith(team(goodTeam).responder);
      const directory = mkdtempSync(path.join(tmpdir(), 'et-example-'));
      writeFileSync(path.join(directory, 'electrictown.yaml'), greeterConfig(openai.baseUrl));
      const { stdout } = await promisify(execFile)(process.execPath, [EXAMPLE, '--output-dir', 'out', 'Build a greeter'], { cwd: directory, env: { PATH: process.env.PATH, HOME: TEST_HOME, ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' } });
      assert.match(stdout, /^run {3}[0-9a-f]{10} \(/m);
      assert.match(stdout, /^plan {2}2\. Write src\/main\.ts that prints greet\("world"\)\.$/m);
      assert.match(stdout, /^file {2}src\/greet\.ts \(\d+ bytes\)$/m);
      assert.match(stdout, /^end {3}succeeded, \$0\.\d{4}$/m);
      assert.equal(readFileSync(path.join(directory, 'out', 'src', 'greet.ts'), 'utf8'), GREET);
    } finally {
      await openai.stop();
    }
  });
});
