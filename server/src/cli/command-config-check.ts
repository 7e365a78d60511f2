import { existsSync } from 'node:fs';
import { discoverConfig } from '../config/discover';
import { CliError, EXIT_ERROR, EXIT_OK, type Command } from './context';
import { parseOptions } from './parse-options';

export const configCheckCommand: Command = {
  words: ['config', 'check'],
  usage: 'et config check [PATH] [--json]',
  summary: 'check a config; print each problem as PATH:LINE:COL: severity: message [code]',
  async run(args, context) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } }, this.usage, 1);
    const explicitPath = positionals[0] ?? context.configPath;
    const discovery = discoverConfig({ explicitPath, cwd: context.cwd, home: context.env.HOME, exists: existsSync });
    if (!discovery.found) {
      throw new CliError(
        `no config found; tried ${discovery.tried.join(', ')}`,
        'pass a path (et config check PATH), or create electrictown.yaml with "Electrictown: Create Config" in VS Code',
      );
    }
    const shownPath = explicitPath ?? discovery.path;
    const [{ checkConfigFile }, { formatIssueLine, issueToJson }] = await Promise.all([
      import('../config/check-config-file'),
      import('../config/format-issues'),
    ]);
    let checked;
    try {
      checked = await checkConfigFile(discovery.path, context.env, { outsideEditor: true });
    } catch (error) {
      // Only file-system errors carry a code; anything else is a bug and keeps its stack.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === undefined) throw error;
      throw new CliError(`cannot read ${shownPath}: ${code}`);
    }
    const { issues, lines } = checked;
    if (values.json) {
      const report = { file: shownPath, issues: issues.map((issue) => issueToJson(issue, lines)) };
      context.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      for (const issue of issues) context.stdout(`${formatIssueLine(shownPath, issue, lines)}\n`);
    }
    const errors = issues.filter((issue) => issue.severity === 'error').length;
    if (context.interactive && !values.json) {
      const warnings = issues.filter((issue) => issue.severity === 'warning').length;
      context.stderr(`${shownPath}: ${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}\n`);
    }
    return errors > 0 ? EXIT_ERROR : EXIT_OK;
  },
};
