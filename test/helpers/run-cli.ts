// Runs the `et` CLI in-process with captured output.
import { runCli } from '../../server/src/cli/program';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runEt(argv: string[], options: { cwd?: string; env?: Record<string, string | undefined>; interactive?: boolean; stdoutIsTerminal?: boolean } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    interactive: options.interactive ?? false,
    stdoutIsTerminal: options.stdoutIsTerminal ?? false,
    configPath: undefined,
  });
  return { exitCode, stdout, stderr };
}
