// A test that needs a real toolchain fails, naming how to install it, on a machine without it.
import { execFileSync } from 'node:child_process';

export function requireTool(command: string, install: string): void {
  try {
    execFileSync(command, ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`this test needs ${command}: ${install}`);
  }
}
