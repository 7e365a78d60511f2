// `et review [--json] PATH…`: the witness on existing files; findings as `PATH:LINE:COL: severity: message`.
import { existsSync } from 'node:fs';
import { discoverConfig } from '../config/discover';
import { CliError, UsageError, type Command } from './context';
import { parseOptions } from './parse-options';

const USAGE = 'et review [--json] PATH…';

export const reviewCommand: Command = {
  words: ['review'],
  usage: USAGE,
  summary: 'review files with the witness and print its findings as PATH:LINE:COL: severity: message (exit 1 when any is an error)',
  async run(args, context) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } }, USAGE, Number.POSITIVE_INFINITY);
    if (positionals.length === 0) throw new UsageError('review needs at least one file', `usage: ${USAGE}`);
    const discovery = discoverConfig({ explicitPath: context.configPath, cwd: context.cwd, home: context.env.HOME, exists: existsSync });
    if (!discovery.found) throw new CliError(`no config found; tried ${discovery.tried.join(', ')}`, 'pass --config PATH');
    const { reviewFiles } = await import('./review-files');
    return reviewFiles({ configFile: discovery.path, files: positionals, json: values.json === true, context });
  },
};
