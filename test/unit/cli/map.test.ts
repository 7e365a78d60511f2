import assert from 'node:assert/strict';
import { GO_PROJECT } from '../../fixtures/project-map/samples';
import { runEt } from '../../helpers/run-cli';
import { writeProject } from '../../helpers/temp-project';

describe('et map', () => {
  it('prints the map of a folder, ranked for a task, leaving out the run log folder', async () => {
    const root = writeProject({ ...GO_PROJECT, '.electrictown/runs/x/run.json': '{}' });
    const result = await runEt(['map', '--task', 'make main.go listen on 9090'], { cwd: root });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(result.stdout.startsWith('main.go\n  func main()\nhandler.go\n  func ListItems(w http.ResponseWriter, r *http.Request)\n'), result.stdout);
    assert.doesNotMatch(result.stdout, /electrictown/);
  });

  it('prints the index as JSON with --json, and cuts the map to --tokens', async () => {
    const root = writeProject(GO_PROJECT);
    const json = await runEt(['map', '--root', root, '--json', '--task', 'handler.go']);
    const parsed = JSON.parse(json.stdout);
    assert.deepEqual(parsed.focus, { files: ['handler.go'], identifiers: [] });
    assert.equal(parsed.ranked[0], 'handler.go');
    assert.deepEqual(
      parsed.files.find((file: { path: string }) => file.path === 'main.go').definitions,
      [{ name: 'main', kind: 'function', signature: 'func main()', line: 5, endLine: 9 }],
    );
    const short = await runEt(['map', '--root', root, '--tokens', '12']);
    assert.equal(short.stdout, 'store.go\nhandler.go\n… 3 more files not shown\n');
  });

  it('is left out of the help, answers its own --help, and refuses a bad --tokens', async () => {
    assert.doesNotMatch((await runEt(['--help'])).stdout, /et map/);
    assert.match((await runEt(['map', '--help'])).stdout, /^usage: et map \[--root DIR\] \[--task TEXT\] \[--tokens N\] \[--json\]/);
    const bad = await runEt(['map', '--tokens', '0']);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /--tokens "0" is not a positive whole number/);
  });
});
