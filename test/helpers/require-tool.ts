// A test that needs a real toolchain skips itself, saying which and how to install it, on a machine
// without it: `npm test` counts it as skipped in its closing line. `.ci/run` installs the toolchains,
// so CI runs them all.
import { execFileSync } from 'node:child_process';

export function requireTool(context: Mocha.Context, command: string, install: string, versionArgs = ['version']): void {
  try {
    execFileSync(command, versionArgs, { stdio: 'ignore' });
  } catch {
    console.log(`      skipped: this test needs ${command} (${install})`);
    context.skip();
  }
}
