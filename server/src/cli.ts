// Entry point of the server bundle and of the `et` command.
import { createInterface } from 'node:readline';
import { runCli } from './cli/program';
import { isOlderThan, MINIMUM_NODE_VERSION } from './node-version';
import { SELF_VARIABLE, selfCommand } from './self-command';
import { processStandardInput } from './cli/standard-input';

// The standalone bundle for ppc64 runs on the user's own node: say what is wrong rather than fail later.
if (isOlderThan(process.versions.node, MINIMUM_NODE_VERSION)) {
  process.stderr.write(`error: et needs Node.js ${MINIMUM_NODE_VERSION} or later; ${process.execPath} is ${process.version}\n`);
  process.exit(1);
}

const self = selfCommand({ execPath: process.execPath, scriptPath: process.argv[1], mainFilename: __filename, launcher: process.env[SELF_VARIABLE] });
// Read once: the commands and builds `et` starts must not take a launcher's path for their own.
delete process.env[SELF_VARIABLE];

/** One line from the terminal; stdin is let go again so that it does not keep `et` running. */
function askOnTerminal(question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const reader = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let answered = false;
    reader.question(question, (answer) => {
      answered = true;
      reader.close();
      resolve(answer);
    });
    reader.once('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}

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
  self,
  configPath: undefined,
  ask: process.stdin.isTTY === true && process.stderr.isTTY === true ? askOnTerminal : undefined,
  stdin: processStandardInput(),
}).then((exitCode) => {
  // `serve` keeps running until the client says exit; everything else ends here.
  if (exitCode !== 0 || !process.argv.includes('serve')) process.exitCode = exitCode;
});
