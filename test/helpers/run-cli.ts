// Runs the `et` CLI in-process with captured output.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../server/src/cli/program';

/** $HOME for commands that do not set their own, so no test reads or writes the real one. */
export const TEST_HOME = mkdtempSync(path.join(tmpdir(), 'et-home-'));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** `stdin`: text piped to the command; without it the command has no standard input to read. */
export async function runEt(argv: string[], options: { cwd?: string; env?: Record<string, string | undefined>; interactive?: boolean; columns?: number; stdoutIsTerminal?: boolean; self?: string[]; stdin?: string; ask?: (question: string) => Promise<string | undefined> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd: options.cwd ?? process.cwd(),
    env: { HOME: TEST_HOME, ...options.env },
    interactive: options.interactive ?? false,
    columns: options.columns,
    stdoutIsTerminal: options.stdoutIsTerminal ?? false,
    self: options.self,
    configPath: undefined,
    ask: options.ask,
    stdin: options.stdin === undefined ? undefined : { piped: true, read: async () => options.stdin ?? '' },
  });
  return { exitCode, stdout, stderr };
}
