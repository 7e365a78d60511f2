import { existsSync } from 'node:fs';
import { discoverConfig } from '../config/discover';
import { CliError, EXIT_ERROR, EXIT_OK, type Command } from './context';
import { parseOptions } from './parse-options';

export const modelsCommand: Command = {
  words: ['models'],
  usage: 'et models [--json]',
  summary: "list every provider's models (PROVIDER  TYPE  MODEL); a provider that fails is shown with its error",
  async run(args, context) {
    const { values } = parseOptions(args, { json: { type: 'boolean' } }, this.usage, 0);
    const discovery = discoverConfig({ explicitPath: context.configPath, cwd: context.cwd, home: context.env.HOME, exists: existsSync });
    if (!discovery.found) throw new CliError(`no config found; tried ${discovery.tried.join(', ')}`, 'pass --config PATH');
    const { listAllModels, formatModelTable } = await import('./models-report');
    const reports = await listAllModels(discovery.path, context.env);
    context.stdout(values.json ? `${JSON.stringify(reports, null, 2)}\n` : formatModelTable(reports));
    // Useful as long as one provider answered.
    return reports.some((report) => 'models' in report) ? EXIT_OK : EXIT_ERROR;
  },
};
