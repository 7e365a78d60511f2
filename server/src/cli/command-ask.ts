import { existsSync } from 'node:fs';
import { discoverConfig } from '../config/discover';
import { CliError, EXIT_OK, UsageError, type Command } from './context';
import { parseOptions } from './parse-options';

const DEFAULT_ROLE = 'polecat';

export const askCommand: Command = {
  words: ['ask'],
  usage: 'et ask [--role ROLE | --model ALIAS|provider/model] [--json] "PROMPT"',
  summary: `send one prompt through a role's model chain (default role: ${DEFAULT_ROLE}) and print the answer`,
  async run(args, context) {
    const { values, positionals } = parseOptions(args, { role: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' } }, this.usage, 1);
    const prompt = positionals[0];
    if (!prompt) throw new UsageError('ask needs a prompt', `usage: ${this.usage}`);
    if (values.role && values.model) throw new UsageError('give --role or --model, not both');
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
