// The .vsix as a user installs it: package the extension with vsce (offline), install the package into a
// fresh extensions folder with `code --install-extension`, then run test/vsix/ in a real VS Code that
// loads the installed copy (a stub is the only development extension, and extensions stay enabled).
// VSCODE_EXECUTABLE_PATH points at a local VS Code (here: ../shared/vscode-harness/code); without it,
// @vscode/test-electron downloads one. Prints the counts as JSON on its last line for test/run-tests.mjs.
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagedVsix } from '../helpers/package-vsix.mjs';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(path.join(repository, 'package.json'), 'utf8'));
const scratch = mkdtempSync(path.join(tmpdir(), 'electrictown-vsix-'));
const extensionsDir = path.join(scratch, 'extensions');
const workspace = path.join(scratch, 'workspace');
const resultsFile = path.join(scratch, 'results.json');
// runTests needs a development extension; this one contributes nothing, so only the installed one acts.
const stub = path.join(scratch, 'stub-extension');

/** The `code` command line for extension management: the harness's stand-in, or a real VS Code's CLI. */
async function codeCli() {
  if (process.env.VSCODE_EXECUTABLE_PATH) return [process.env.VSCODE_EXECUTABLE_PATH];
  const [cli, ...args] = resolveCliArgsFromVSCodeExecutablePath(await downloadAndUnzipVSCode());
  return [cli, ...args];
}

let exitCode = 0;
try {
  const vsix = packagedVsix(repository, scratch);
  const [code, ...codeArgs] = await codeCli();
  execFileSync(code, [...codeArgs, '--install-extension', vsix, '--extensions-dir', extensionsDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  cpSync(path.join(repository, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  mkdirSync(stub);
  writeFileSync(path.join(stub, 'package.json'), JSON.stringify({ name: 'vsix-test-host', publisher: 'electrictown-tests', version: '0.0.0', engines: { vscode: '*' } }));
  exitCode = await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
    extensionDevelopmentPath: stub,
    extensionTestsPath: path.join(repository, 'out', 'test', 'vsix', 'index.js'),
    launchArgs: [workspace, `--user-data-dir=${path.join(scratch, 'user-data')}`, `--extensions-dir=${extensionsDir}`],
    extensionTestsEnv: { ELECTRICTOWN_TEST_RESULTS: resultsFile, ELECTRICTOWN_EXTENSIONS_DIR: extensionsDir, ELECTRICTOWN_VERSION: version },
  });
} catch (error) {
  console.error(`.vsix tests could not run: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
}
let results = { passed: 0, failed: exitCode === 0 ? 0 : 1 };
try {
  results = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  // No results file: packaging, installing, the editor or the extension host failed before the suite ran.
}
rmSync(scratch, { recursive: true, force: true });
console.log(JSON.stringify(results));
process.exit(exitCode === 0 && results.failed === 0 ? 0 : 1);
