// `et mcp`: electrictown as an MCP server over stdio, for coding agents. See server/src/mcp/.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { EXIT_OK, UsageError, type Command } from './context';
import { parseOptions } from './parse-options';

const DEFAULT_MAX_RUNS = 4;
const USAGE = 'et mcp [--max-runs N] [--workspace DIR]';

const HELP = `usage: ${USAGE}

Serves electrictown to a coding agent over MCP (the Model Context Protocol) on stdin and stdout: the
agent's client starts it, as it starts any stdio MCP server. Tools:

  run           start a run (task, output_dir, context, iterate, gates, budget_usd, workers, …); answers
                with its id at once
  run_status    a run's phase, subtasks, files, gates and spend; wait_seconds waits for its end
  run_result    what a run made: summary, files with their diffs, findings, gates, exit status, spend
  cancel_run    stop a run
  list_runs     runs, newest first
  review        the witness on files; its findings as structured content
  ask           one prompt through a role's model chain
  costs         the ledger's totals by role, provider, model or run
  models        each provider's models

Resources: electrictown://runs/{id} (a run's record) and electrictown://schema/electrictown.schema.json.

Each run is an \`et run\` process of its own: it goes on if the client disconnects, and run_status finds
it by its id in the run folders. Output folders (and files to review) must be inside the working
directory (--workspace), or the client's roots when it gives them, unless the config sets
defaults.mcp_allow_outside: true. The config is found as for every command (--config PATH).

options:
  --max-runs N       runs at once (default ${DEFAULT_MAX_RUNS}); more wait in line, each told its place
  --workspace DIR    the workspace, where relative paths start and the config is looked for (default:
                     the working directory), for a client that starts servers elsewhere
  --config PATH      the config file (default DIR/electrictown.yaml, then $HOME/electrictown.yaml)
`;

export const mcpCommand: Command = {
  words: ['mcp'],
  usage: USAGE,
  summary: 'serve electrictown to coding agents over MCP (stdio): run, run_status, run_result, review, ask, …',
  help: HELP,
  async run(args, context) {
    const { values } = parseOptions(args, { 'max-runs': { type: 'string' }, workspace: { type: 'string' } }, USAGE, 0);
    const maxRuns = values['max-runs'] === undefined ? DEFAULT_MAX_RUNS : Number(values['max-runs']);
    if (!Number.isInteger(maxRuns) || maxRuns < 1 || maxRuns > 64) throw new UsageError(`--max-runs needs a whole number from 1 to 64, not "${values['max-runs']}"`, `usage: ${USAGE}`);
    const cwd = values.workspace === undefined ? context.cwd : path.resolve(context.cwd, values.workspace);
    if (!(await stat(cwd).then((info) => info.isDirectory(), () => false))) throw new UsageError(`--workspace ${values.workspace}: no such folder`, `usage: ${USAGE}`);
    const { serveMcp } = await import('../mcp/mcp-server');
    await serveMcp({ cwd, environment: { ...context.env }, configPath: context.configPath, self: context.self, maxRuns, warn: (message) => context.stderr(`warning: ${message}\n`) });
    return EXIT_OK;
  },
};
