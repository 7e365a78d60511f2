// Entry point of the server bundle and of the `et` command.
import { runCli } from './cli/program';

// A reader that stops early (`et config check | head`) closes the pipe: stop quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

void runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  interactive: process.stderr.isTTY === true,
  columns: process.stderr.isTTY ? process.stderr.columns : undefined,
  stdoutIsTerminal: process.stdout.isTTY === true,
  self: [process.execPath, process.argv[1]],
  configPath: undefined,
}).then((exitCode) => {
  // `serve` keeps running until the client says exit; everything else ends here.
  if (exitCode !== 0 || !process.argv.includes('serve')) process.exitCode = exitCode;
});
