// `et review PATH…`: the witness on existing files, findings in the compiler format, exit 1 on an error.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { team } from '../../helpers/fake-team';
import { greeterConfig } from '../../helpers/greeter-scenario';
import { runEt } from '../../helpers/run-cli';

describe('et review', () => {
  it('prints each file’s findings as PATH:LINE:COL: severity: message and exits 1 when one is an error', async () => {
    const openai = await FakeOpenAi.start();
    try {
      const directory = mkdtempSync(path.join(tmpdir(), 'et-review-'));
      const config = path.join(directory, 'electrictown.yaml');
      writeFileSync(config, greeterConfig(openai.baseUrl));
      writeFileSync(path.join(directory, 'a.ts'), 'let x = 1\n');
      writeFileSync(path.join(directory, 'b.ts'), 'export const y = 2;\n');
      const scripted = team((call) => (/===FILE: a\.ts===/.test(call.user) ? 'SCORE: 4\nREASON: Sloppy.\nFINDINGS:\n- a.ts:1:5: error: x is never used\n- a.ts:1: warning: missing semicolon' : 'SCORE: 9\nREASON: Fine.\nFINDINGS: none'));
      openai.respondWith(scripted.responder);
      const result = await runEt(['--config', config, 'review', 'a.ts', 'b.ts', 'missing.ts'], { cwd: directory, env: { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' } });
      assert.equal(result.exitCode, 1);
      assert.equal(result.stdout, 'a.ts:1:5: error: x is never used\na.ts:1:1: warning: missing semicolon\n');
      assert.match(result.stderr, /^a\.ts: 4\/10 — Sloppy\. \(judge\)$/m);
      assert.match(result.stderr, /^b\.ts: 9\/10 — Fine\. \(judge\)$/m);
      assert.match(result.stderr, /^error: missing\.ts: cannot be read \(ENOENT\)$/m);
      assert.deepEqual(scripted.calls.map((call) => [call.phase, call.model]), [['review', 'judge-1'], ['review', 'judge-1']]);
      assert.match(scripted.calls[0].user, /There is no subtask: review the file on its own\.\n\nThe worker's output:\n===FILE: (a|b)\.ts===/);
      const ledger = readFileSync(path.join(directory, 'logs', 'ledger.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      assert.deepEqual(ledger.map((entry) => entry.role), ['witness', 'witness']);
    } finally {
      await openai.stop();
    }
  });

  it('shows the escape sequences a witness wrote, never letting the terminal obey them', async () => {
    const openai = await FakeOpenAi.start();
    try {
      const directory = mkdtempSync(path.join(tmpdir(), 'et-review-'));
      const config = path.join(directory, 'electrictown.yaml');
      writeFileSync(config, greeterConfig(openai.baseUrl));
      writeFileSync(path.join(directory, 'a.ts'), 'let x = 1\n');
      openai.respondWith(team(() => 'SCORE: 4\nREASON: \x1b]0;owned\x07Sloppy.\nFINDINGS:\n- a.ts:1:5: error: \x1b[2J\x1b[31mx is never used').responder);
      const result = await runEt(['--config', config, 'review', 'a.ts'], { cwd: directory, env: { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' } });
      assert.equal(result.stdout, 'a.ts:1:5: error: ␛[2J␛[31mx is never used\n');
      // The reason's leading punctuation (the ESC and `]` with it) is read past by the review parser.
      assert.match(result.stderr, /^a\.ts: 4\/10 — 0;owned␇Sloppy\. \(judge\)$/m);
      assert.equal(`${result.stdout}${result.stderr}`.includes('\x1b'), false);
    } finally {
      await openai.stop();
    }
  });
});
