import { existsSync } from 'node:fs';
import { discoverConfig } from '../config/discover';
import { CliError, EXIT_OK, UsageError, type CliContext, type Command } from './context';
import { parseOptions } from './parse-options';

const DEFAULT_ROLE = 'polecat';
const USAGE = 'et ask [--role ROLE | --model ALIAS|provider/model] [--json] "PROMPT" | -';

const HELP = `usage: ${USAGE}

Sends one prompt through a role's model chain (default role: ${DEFAULT_ROLE}) and prints the answer: as it
comes in a terminal, whole to a pipe. Retries and fallbacks are noted on stderr, and so is an answer
that stopped at the output cap (max_tokens), which is incomplete.

The prompt is the argument; with - it is read from standard input, and so it is when no argument is
given and standard input is a pipe or a file:

  git diff | et ask --role witness
  et ask --model fast - < question.md

  --role ROLE     the role whose chain answers (default ${DEFAULT_ROLE})
  --model MODEL   a model alias or provider/model-id instead of a role
  --json          every router event as NDJSON on stdout, then usage, cost and the end
`;

/** The prompt: the argument, or standard input for `-` or when piped with no argument. */
async function promptFrom(argument: string | undefined, context: CliContext): Promise<string> {
  const fromInput = argument === '-' || (argument === undefined && context.stdin?.piped === true);
  if (!fromInput) {
    if (!argument) throw new UsageError('ask needs a prompt', `usage: ${USAGE}`);
    return argument;
  }
  if (!context.stdin) throw new UsageError('ask - reads the prompt from standard input, and there is none', `usage: ${USAGE}`);
  // A shell's here-string or `echo` ends the text with a newline that is no part of the question.
  const text = (await context.stdin.read()).replace(/\s+$/, '');
  if (text.trim() === '') throw new UsageError('the prompt read from standard input is empty', `usage: ${USAGE}`);
  return text;
}

export const askCommand: Command = {
  words: ['ask'],
  usage: USAGE,
  summary: `send one prompt (or standard input) through a role's model chain (default role: ${DEFAULT_ROLE}) and print the answer`,
  help: HELP,
  async run(args, context) {
    const { values, positionals } = parseOptions(args, { role: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' } }, USAGE, 1);
    if (values.role && values.model) throw new UsageError('give --role or --model, not both');
    const prompt = await promptFrom(positionals[0], context);
    const discovery = discoverConfig({ explicitPath: context.configPath, cwd: context.cwd, home: context.env.HOME, exists: existsSync });
    if (!discovery.found) throw new CliError(`no config found; tried ${discovery.tried.join(', ')}`, 'pass --config PATH');
    const { askOnce } = await import('./ask-once');
    return askOnce({
      configFile: discovery.path,
      target: values.model ? { model: values.model } : { role: values.role ?? DEFAULT_ROLE },
      prompt,
      json: values.json === true,
      context,
    }).then(() => EXIT_OK);
  },
};
