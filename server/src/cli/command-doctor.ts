// `et doctor`: the editor's pre-flight check in a terminal — the config, each role's first model and
// provider, whether its key variable is set and its endpoint answers, and what to fix.
import { EXIT_ERROR, EXIT_OK, type Command } from './context';
import { parseOptions } from './parse-options';

export const doctorCommand: Command = {
  words: ['doctor'],
  usage: 'et doctor [--json]',
  summary: "check the config and that each role's first provider answers (2 s each, in parallel); exit 1 when something needs fixing",
  async run(args, context) {
    const { values } = parseOptions(args, { json: { type: 'boolean' } }, this.usage, 0);
    const [{ runPreflight }, { EndpointProbes }, { formatPreflight }] = await Promise.all([import('../preflight/preflight'), import('../preflight/endpoint-probes'), import('../preflight/format-preflight')]);
    const result = await runPreflight({ configPath: context.configPath, cwd: context.cwd, environment: context.env, probes: new EndpointProbes() });
    context.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatPreflight(result));
    return result.problems.length === 0 ? EXIT_OK : EXIT_ERROR;
  },
};
