// Runs the in-editor suite in a real VS Code via @vscode/test-electron. Offline machines point
// VSCODE_EXECUTABLE_PATH at a local VS Code (here: ../shared/vscode-harness/code); elsewhere
// test-electron downloads one. Prints the counts as JSON on its last line for test/run-tests.mjs.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'electrictown-editor-'));
const workspace = path.join(scratch, 'workspace');
cpSync(path.join(repository, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
const resultsFile = path.join(scratch, 'results.json');
// The one installed extension: a stand-in chat model provider for `type: vscode` providers, in this
// run's own (otherwise empty) extensions folder, which VS Code scans at start. A second development
// path would be simpler, but the harness's server loads only the last one; so this run does not pass
// --disable-extensions (it would disable this extension too), and the private folder keeps every
// other extension out all the same.
const extensions = path.join(scratch, 'extensions');
cpSync(path.join(repository, 'test', 'fixtures', 'lm-provider-extension'), path.join(extensions, 'electrictown-tests.fake-lm-provider-0.0.1'), { recursive: true });

let exitCode = 0;
try {
  exitCode = await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
    extensionDevelopmentPath: repository,
    // ELECTRICTOWN_BENCH_RESULTS=file runs the in-editor benchmarks instead (bench/editor-view.ts), which write their figures there.
    extensionTestsPath: path.join(repository, 'out', 'test', 'integration', process.env.ELECTRICTOWN_BENCH_RESULTS ? 'bench-index.js' : 'index.js'),
    launchArgs: [workspace, `--user-data-dir=${path.join(scratch, 'user-data')}`, `--extensions-dir=${extensions}`],
    // ELECTRICTOWN_TEST_GREP=pattern runs only the tests whose title matches (while working on them).
    extensionTestsEnv: { ELECTRICTOWN_TEST_RESULTS: resultsFile, ...(process.env.ELECTRICTOWN_TEST_GREP ? { ELECTRICTOWN_TEST_GREP: process.env.ELECTRICTOWN_TEST_GREP } : {}), ...(process.env.ELECTRICTOWN_BENCH_RESULTS ? { ELECTRICTOWN_BENCH_RESULTS: process.env.ELECTRICTOWN_BENCH_RESULTS } : {}) },
  });
} catch (error) {
  console.error(`in-editor tests could not run: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
}
let results = { passed: 0, failed: exitCode === 0 ? 0 : 1 };
try {
  results = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  // No results file: the editor or the extension host did not get as far as running the suite.
}
rmSync(scratch, { recursive: true, force: true });
console.log(JSON.stringify(results));
process.exit(exitCode === 0 && results.failed === 0 ? 0 : 1);
