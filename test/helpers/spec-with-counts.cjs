// Mocha's spec reporter, plus the counts (passed, failed, skipped) written to $MOCHA_COUNTS_FILE for
// test/run-tests.mjs.
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha');

class SpecWithCounts extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      if (process.env.MOCHA_COUNTS_FILE) {
        writeFileSync(process.env.MOCHA_COUNTS_FILE, JSON.stringify({ passed: runner.stats.passes, failed: runner.stats.failures, skipped: runner.stats.pending }));
      }
    });
  }
}

module.exports = SpecWithCounts;
