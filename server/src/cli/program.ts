// The `et` command line: global options, one command per file, errors as `error:` / `hint:` lines.
// Exit codes: 0 ok, 1 error, 2 usage.
import { askCommand } from './command-ask';
import { configCheckCommand } from './command-config-check';
import { costsCommand } from './command-costs';
import { doctorCommand } from './command-doctor';
import { mapCommand } from './command-map';
import { mcpCommand } from './command-mcp';
import { modelsCommand } from './command-models';
import { reviewCommand } from './command-review';
import { runCommand } from './command-run';
import { sessionCommand } from './command-session';
import { transcriptCommand } from './command-transcript';
import { serveCommand } from './command-serve';
import { versionCommand } from './command-version';
import { CliError, EXIT_ERROR, EXIT_OK, UsageError, type CliContext, type Command } from './context';
import { ConfigLoadError } from '../config/config-load-error';
import { closestName } from '../config/suggest';

export const COMMANDS: readonly Command[] = [versionCommand, serveCommand, configCheckCommand, doctorCommand, modelsCommand, askCommand, runCommand, transcriptCommand, reviewCommand, sessionCommand, costsCommand, mapCommand, mcpCommand];

export function helpText(): string {
  const listed = COMMANDS.filter((command) => !command.hidden);
  const width = Math.max(...listed.map((command) => command.usage.length));
  return [
    'et — electrictown: a provider-agnostic multi-agent coding orchestrator',
    '',
    'usage: et [--config PATH] <command> [options]',
    '',
    'commands:',
    ...listed.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`),
    '',
    'options:',
    '  --config PATH  config file (default: ./electrictown.yaml, then $HOME/electrictown.yaml)',
    '  -h, --help     show this help',
    '',
    'exit codes: 0 ok, 1 error, 2 usage (et run: 3 build failing, 4 budget reached, 130 cancelled)',
    '',
  ].join('\n');
}

interface Invocation {
  configPath: string | undefined;
  help: boolean;
  rest: string[];
}

/** Pulls the global options out, wherever they stand. */
function splitGlobalOptions(argv: readonly string[]): Invocation {
  const invocation: Invocation = { configPath: undefined, help: false, rest: [] };
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index];
    if (token === '--config') {
      const value = argv[++index];
      if (value === undefined) throw new UsageError('--config needs a path', 'usage: et --config PATH <command>');
      invocation.configPath = value;
    } else if (token.startsWith('--config=')) {
      invocation.configPath = token.slice('--config='.length);
    } else if (token === '-h' || token === '--help') {
      invocation.help = true;
    } else {
      invocation.rest.push(token);
    }
  }
  return invocation;
}

function findCommand(rest: readonly string[]): { command: Command; args: string[] } | undefined {
  const words = rest.filter((token) => !token.startsWith('-'));
  const command = COMMANDS.find((candidate) => candidate.words.every((word, index) => words[index] === word));
  if (!command) return undefined;
  // Drop exactly the command's words, keeping options wherever they were.
  const args = [...rest];
  for (const word of command.words) args.splice(args.indexOf(word), 1);
  return { command, args };
}

async function dispatch(argv: readonly string[], context: CliContext): Promise<number> {
  const invocation = splitGlobalOptions(argv);
  if (invocation.rest[0] === '--version') invocation.rest[0] = 'version';
  const found = findCommand(invocation.rest);
  if (invocation.help || invocation.rest.length === 0 || invocation.rest[0] === 'help') {
    context.stdout(found ? (found.command.help ?? `usage: ${found.command.usage}\n\n${found.command.summary}\n`) : helpText());
    return EXIT_OK;
  }
  if (!found) {
    const typed = invocation.rest.filter((token) => !token.startsWith('-')).join(' ');
    const suggestion = closestName(typed, COMMANDS.map((command) => command.words.join(' ')));
    throw new UsageError(`unknown command "${typed}"`, suggestion ? `did you mean "et ${suggestion}"? (et --help lists commands)` : 'et --help lists the commands');
  }
  return found.command.run(found.args, { ...context, configPath: invocation.configPath });
}

/** Runs the CLI; never throws. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  try {
    return await dispatch(argv, context);
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigLoadError) {
      context.stderr(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
      return error instanceof CliError ? error.exitCode : EXIT_ERROR;
    }
    context.stderr(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_ERROR;
  }
}
