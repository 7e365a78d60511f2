import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONFIG_FIXTURES, FIXTURE_ENVIRONMENT } from '../../helpers/config-fixtures';
import { runEt } from '../../helpers/run-cli';

const TEN_MISTAKES = path.join(CONFIG_FIXTURES, 'invalid', 'ten-mistakes.yaml');
const EXAMPLE = path.join(__dirname, '..', '..', '..', 'electrictown.yaml');

describe('et CLI', () => {
  it('prints help listing every command, and exits 0', async () => {
    for (const argv of [['--help'], ['-h'], [], ['help']]) {
      const result = await runEt(argv);
      assert.equal(result.exitCode, 0);
      assert.match(result.stdout, /et version/);
      assert.match(result.stdout, /et serve --stdio/);
      assert.match(result.stdout, /et config check \[PATH\] \[--json\]/);
      assert.match(result.stdout, /exit codes: 0 ok, 1 error, 2 usage/);
    }
  });

  it('prints a command’s own usage with --help', async () => {
    const result = await runEt(['config', 'check', '--help']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^usage: et config check \[PATH\] \[--json\]/);
  });

  it('prints the version', async () => {
    const result = await runEt(['version']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^et \d+\.\d+\.\d+(-[\w.]+)?\n$/);
  });

  it('exits 2 with error and hint on usage mistakes', async () => {
    const unknown = await runEt(['confg', 'chek']);
    assert.equal(unknown.exitCode, 2);
    assert.equal(unknown.stderr, 'error: unknown command "confg chek"\nhint: did you mean "et config check"? (et --help lists commands)\n');
    const badOption = await runEt(['config', 'check', '--jsn']);
    assert.equal(badOption.exitCode, 2);
    assert.match(badOption.stderr, /^error: Unknown option '--jsn'\nhint: usage: et config check/);
    const noTransport = await runEt(['serve']);
    assert.equal(noTransport.exitCode, 2);
    assert.match(noTransport.stderr, /hint: stdio is the only one: et serve --stdio/);
    assert.equal((await runEt(['--config'])).exitCode, 2);
    assert.equal((await runEt(['config', 'check', 'a.yaml', 'b.yaml'])).exitCode, 2);
  });

  it('prints every problem as PATH:LINE:COL: severity: message [code], and exits 1 on errors', async () => {
    const result = await runEt(['config', 'check', TEN_MISTAKES]);
    assert.equal(result.exitCode, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 12);
    assert.equal(lines[0], `${TEN_MISTAKES}:3:11: error: unknown provider type "olama"; expected one of openai, anthropic, gemini, ollama, openai-compatible, vscode — did you mean "ollama"? [unknown-provider-type]`);
    assert.equal(lines[6], `${TEN_MISTAKES}:17:5: error: unknown key "pricng" in models.big — did you mean "pricing"? [unknown-key]`);
    for (const line of lines) assert.match(line, /^.+:\d+:\d+: (error|warning|info|hint): .+ \[[a-z-]+\]$/);
  });

  it('prints the same issues as JSON with 0-based ranges', async () => {
    const result = await runEt(['config', 'check', TEN_MISTAKES, '--json']);
    assert.equal(result.exitCode, 1);
    const report = JSON.parse(result.stdout);
    assert.equal(report.file, TEN_MISTAKES);
    assert.equal(report.issues.length, 12);
    assert.deepEqual(report.issues[0], {
      severity: 'error',
      code: 'unknown-provider-type',
      message: 'unknown provider type "olama"; expected one of openai, anthropic, gemini, ollama, openai-compatible, vscode — did you mean "ollama"?',
      range: { start: { line: 2, character: 10 }, end: { line: 2, character: 15 } },
    });
  });

  it('warns, outside the editor, at each role that uses one of VS Code\'s models (the editor itself does not)', async () => {
    const file = path.join(CONFIG_FIXTURES, 'valid', 'vscode-models.yaml');
    const result = await runEt(['config', 'check', file], { env: FIXTURE_ENVIRONMENT });
    assert.equal(result.exitCode, 0, 'warnings only');
    const lines = result.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.map((line) => line.slice(file.length).replace(/: warning: .*\[(.+)\]$/, ' $1')), [':20:12 vscode-outside-editor', ':23:12 vscode-outside-editor', ':25:12 vscode-outside-editor']);
    assert.match(lines[0], /roles\.mayor uses copilot-4o, one of VS Code's models \(provider vscode, type vscode\): it runs only inside VS Code with the electrictown extension/);
  });

  it('exits 0 and prints nothing for a clean config; a terminal gets a summary on stderr', async () => {
    const quiet = await runEt(['config', 'check', EXAMPLE]);
    assert.deepEqual(quiet, { exitCode: 0, stdout: '', stderr: '' });
    const interactive = await runEt(['config', 'check', EXAMPLE], { interactive: true });
    assert.equal(interactive.stderr, `${EXAMPLE}: 0 errors, 0 warnings\n`);
  });

  it('discovers ./electrictown.yaml, then $HOME/electrictown.yaml, and --config anywhere on the line', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'et-cli-'));
    const home = mkdtempSync(path.join(tmpdir(), 'et-home-'));
    const missing = await runEt(['config', 'check'], { cwd: work, env: { HOME: home } });
    assert.equal(missing.exitCode, 1);
    assert.match(missing.stderr, new RegExp(`^error: no config found; tried ${path.join(work, 'electrictown.yaml')}, ${path.join(home, 'electrictown.yaml')}\nhint: `));

    writeFileSync(path.join(home, 'electrictown.yaml'), 'providers:\n  p:\n    type: nope\n');
    const fromHome = await runEt(['config', 'check'], { cwd: work, env: { HOME: home } });
    assert.match(fromHome.stdout, new RegExp(`^${path.join(home, 'electrictown.yaml')}:3:11: error: unknown provider type "nope"`));

    writeFileSync(path.join(work, 'electrictown.yaml'), 'providers: {}\n');
    const fromCwd = await runEt(['config', 'check'], { cwd: work, env: { HOME: home } });
    assert.match(fromCwd.stdout, /:1:1: error: `providers` is empty/);

    const explicit = await runEt(['config', '--config', EXAMPLE, 'check'], { cwd: work, env: { HOME: home } });
    assert.equal(explicit.exitCode, 0);
  });

  it('reports a file it cannot read, and a file that is not UTF-8, without a stack trace', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'et-cli-'));
    const directory = await runEt(['config', 'check', work]);
    assert.equal(directory.exitCode, 1);
    assert.equal(directory.stdout, `${work}:1:1: error: it is a folder: a config is a YAML file [not-a-file]\n`);
    const latin1 = path.join(work, 'latin1.yaml');
    writeFileSync(latin1, Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    const notUtf8 = await runEt(['config', 'check', latin1]);
    assert.equal(notUtf8.exitCode, 1);
    assert.equal(notUtf8.stdout, `${latin1}:1:1: error: the file is not UTF-8 text: save it as UTF-8 [not-utf8]\n`);
  });
});
