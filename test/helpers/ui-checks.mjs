// The UI checks' outcome: each check printed as `ok`/`FAIL` when it is made, then the counts, with the
// counts as JSON on the last line, as test/run-tests.mjs reads every editor-level runner.

export function uiChecks() {
  const results = [];
  return {
    check(name, ok, detail = '') {
      results.push(ok);
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
    },
    /** Prints the counts and exits with the outcome. */
    finish() {
      const failed = results.filter((ok) => !ok).length;
      console.log(`${results.length - failed} passed, ${failed} failed`);
      console.log(JSON.stringify({ passed: results.length - failed, failed }));
      process.exit(failed === 0 ? 0 : 1);
    },
  };
}

/** A screenshot of whatever the browser shows, after a failure; nothing if there is no page. */
export async function captureFailure(browser, file) {
  try {
    await browser?.contexts()[0]?.pages()[0]?.screenshot({ path: file });
  } catch {
    // No page to capture.
  }
}
