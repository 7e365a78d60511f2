// `npm test`: build, type-check, unit + protocol tests (mocha, in Node), then the in-editor tests
// (a real VS Code) and the .vsix installed into one. Ends with one line, `N passed, N failed`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagedVsix } from './helpers/package-vsix.mjs';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(repository);
const skipEditor = process.argv.includes('--no-editor');

function step(title, command, args) {
  console.log(`\n> ${title}`);
  execFileSync(command, args, { stdio: 'inherit' });
}

/** Unit and protocol tests, as configured in .mocharc.json. */
function runMocha() {
  console.log('\n> unit and protocol tests');
  const scratch = mkdtempSync(path.join(tmpdir(), 'electrictown-mocha-'));
  const countsFile = path.join(scratch, 'counts.json');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/mocha/bin/mocha.js', '--reporter', './test/helpers/spec-with-counts.cjs'], {
      stdio: 'inherit',
      env: { ...process.env, MOCHA_COUNTS_FILE: countsFile },
    });
    child.on('exit', (code) => {
      let counts = { passed: 0, failed: code === 0 ? 0 : 1 };
      try {
        counts = JSON.parse(readFileSync(countsFile, 'utf8'));
      } catch {
        // mocha died before its run ended: count it as one failure.
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve(counts);
    });
  });
}

/** The UI-level check: the .vsix in a real workbench, driven in headless Chromium. */
function runUiCheck() {
  return runInEditor('UI check (the packaged extension in a real workbench, headless Chromium)', 'test/ui/run-task.ui.mjs');
}

/** The UI-level check of an untrusted workspace: no build, no file applied without review. */
function runUntrustedUiCheck() {
  return runInEditor('UI check of an untrusted workspace (Restricted Mode, headless Chromium)', 'test/ui/untrusted.ui.mjs');
}

function runEditorTests() {
  return runInEditor('in-editor tests (real VS Code)', 'test/integration/run.mjs');
}

/** The .vsix packaged, installed with `code --install-extension`, and tested in a real VS Code. */
function runVsixTests() {
  return runInEditor('the .vsix, installed into a real VS Code', 'test/vsix/run.mjs');
}

/** A runner in a real VS Code that prints its counts as JSON on its last line. */
function runInEditor(title, runner) {
  console.log(`\n> ${title}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runner], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lastLine = '';
    child.stdout.on('data', (chunk) => {
      const text = chunk.toString();
      process.stdout.write(text);
      const lines = text.trim().split('\n');
      lastLine = lines[lines.length - 1] || lastLine;
    });
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(lastLine));
      } catch {
        resolve({ passed: 0, failed: code === 0 ? 0 : 1 });
      }
    });
  });
}

let passed = 0;
let failed = 0;
try {
  step('build', process.execPath, ['esbuild.mjs', '--tests']);
  step('type-check', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
} catch {
  console.log('\n0 passed, 1 failed, 0 skipped');
  process.exit(1);
}
const unit = await runMocha();
passed += unit.passed;
failed += unit.failed;
// Tests that need a toolchain this machine lacks (Go, say) skip themselves and say which.
const skipped = unit.skipped ?? 0;
if (!skipEditor) {
  // Packaged once here, for both runners that install it.
  const packages = mkdtempSync(path.join(tmpdir(), 'electrictown-vsix-'));
  try {
    process.env.ELECTRICTOWN_VSIX = packagedVsix(repository, packages);
  } catch {
    // Each runner packages it itself, and reports the failure.
  }
  const vsix = await runVsixTests();
  passed += vsix.passed;
  failed += vsix.failed;
  const editor = await runEditorTests();
  passed += editor.passed;
  failed += editor.failed;
  const ui = await runUiCheck();
  passed += ui.passed;
  failed += ui.failed;
  const untrusted = await runUntrustedUiCheck();
  passed += untrusted.passed;
  failed += untrusted.failed;
  rmSync(packages, { recursive: true, force: true });
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
