import { existsSync } from 'node:fs';
import { discoverConfig } from '../config/discover';
import { loadConfig, logDirectory } from '../config/load-config';
import { CliError, EXIT_OK, UsageError, type Command } from './context';
import { parseOptions } from './parse-options';

export const transcriptCommand: Command = {
  words: ['transcript'],
  usage: 'et transcript RUN_ID [--json]',
  summary: "what every agent of a run said: the plan, each call's answer and attempts, the gates, the summary",
  async run(args, context) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } }, this.usage, 1);
    const runId = positionals[0];
    if (runId === undefined) throw new UsageError('which run? give its id (et runs are listed in the Runs view, or as folders in the log directory)', `usage: ${this.usage}`);
    const discovery = discoverConfig({ explicitPath: context.configPath, cwd: context.cwd, home: context.env.HOME, exists: existsSync });
    if (!discovery.found) throw new CliError(`no config found; tried ${discovery.tried.join(', ')}`, 'pass --config PATH');
    const [{ storedTranscriptPage }, { RunNotFoundError }, { formatEntry, formatHeaderText }] = await Promise.all([import('../transcript/read-transcript'), import('../run/run-store'), import('../transcript/format-transcript')]);
    const logs = logDirectory(discovery.path, await loadConfig(discovery.path, context.env), context.env);
    let cursor = 0;
    let first = true;
    for (;;) {
      let page;
      try {
        page = await storedTranscriptPage(logs, runId, cursor);
      } catch (error) {
        if (error instanceof RunNotFoundError) throw new CliError(error.message);
        throw error;
      }
      if (values.json) context.stdout(`${JSON.stringify(first ? page : { entries: page.entries })}\n`);
      else context.stdout(`${first ? formatHeaderText(page.run) : ''}${page.entries.map(formatEntry).join('\n')}`);
      first = false;
      cursor = page.cursor;
      if (!page.more) return EXIT_OK;
    }
  },
};
