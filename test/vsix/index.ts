// Entry point VS Code's extension host calls (extensionTestsPath) in the .vsix run: runs the suite
// against the extension installed from the package, and writes the counts where run.mjs asked.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'vsix', mocha);
  require('./installed.test');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultsFile = process.env.ELECTRICTOWN_TEST_RESULTS;
      if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ passed: runner.stats?.passes ?? 0, failed: failures }));
      if (failures > 0) reject(new Error(`${failures} .vsix tests failed`));
      else resolve();
    });
  });
}
