// Entry point for the in-editor benchmarks (`npm run bench` runs it through run.mjs with
// ELECTRICTOWN_BENCH_RESULTS set): their suites only, apart from the in-editor test suite.
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  await vscode.workspace.getConfiguration('electrictown').update('approvePlan', false, vscode.ConfigurationTarget.Global);
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'bench', mocha);
  require('./view-bench.test');
  return new Promise((resolve, reject) => mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-editor benchmarks failed`)) : resolve())));
}
