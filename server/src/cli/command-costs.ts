import { existsSync } from 'node:fs';
import { discoverConfig } from '../config/discover';
import type { SummaryKey } from '../cost/ledger';
import { parseSince } from '../cost/since';
import { CliError, EXIT_OK, UsageError, type Command } from './context';
import { parseOptions } from './parse-options';

const KEYS: readonly SummaryKey[] = ['role', 'provider', 'model', 'run'];

export const costsCommand: Command = {
  words: ['costs'],
  usage: 'et costs [--by role|provider|model|run] [--since DATE|today|7d] [--json]',
  summary: 'what every request cost, from the ledger: tokens and USD by role (default), provider, model or run',
  async run(args, context) {
    const { values } = parseOptions(args, { by: { type: 'string' }, since: { type: 'string' }, json: { type: 'boolean' } }, this.usage, 0);
    const by = (values.by ?? 'role') as SummaryKey;
    if (!KEYS.includes(by)) throw new UsageError(`--by "${values.by}" is not one of ${KEYS.join(', ')}`, `usage: ${this.usage}`);
    let since: Date | undefined;
    if (values.since !== undefined) {
      const parsed = parseSince(values.since, new Date());
      if (!parsed.ok) throw new UsageError(parsed.message);
      since = parsed.since;
    }
    const discovery = discoverConfig({ explicitPath: context.configPath, cwd: context.cwd, home: context.env.HOME, exists: existsSync });
    if (!discovery.found) throw new CliError(`no config found; tried ${discovery.tried.join(', ')}`, 'pass --config PATH');
    const { showCosts } = await import('./show-costs');
    await showCosts({ configFile: discovery.path, by, since, sinceText: values.since, json: values.json === true, context });
    return EXIT_OK;
  },
};
