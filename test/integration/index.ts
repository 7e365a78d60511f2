// Entry point VS Code's extension host calls (extensionTestsPath): runs the in-editor mocha suites and
// writes the counts where the runner asked for them.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  // Runs started by the suites go straight on; the plan approval test turns it on for itself.
  await vscode.workspace.getConfiguration('electrictown').update('approvePlan', false, vscode.ConfigurationTarget.Global);
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, ...(process.env.ELECTRICTOWN_TEST_GREP ? { grep: process.env.ELECTRICTOWN_TEST_GREP } : {}) });
  // Bundled suites: expose mocha's globals, then load them in order.
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  require('./editor.test');
  require('./run.test');
  require('./experience.test');
  require('./review.test');
  require('./responsiveness.test');
  require('./vscode-models.test');
  require('./lm-tool.test');
  require('./first-run.test');
  require('./run-view.test');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultsFile = process.env.ELECTRICTOWN_TEST_RESULTS;
      if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ passed: runner.stats?.passes ?? 0, failed: failures }));
      if (failures > 0) reject(new Error(`${failures} in-editor tests failed`));
      else resolve();
    });
  });
}
