// `et mcp`: electrictown as an MCP server over stdio, for coding agents (Claude Code, Codex, Cursor,
// VS Code's agents). The official SDK speaks the protocol (framing, capabilities, progress,
// cancellation, argument checks against each tool's schema); this file only wires the tools and
// resources to what `et` already does. stdout is the protocol's: everything else goes to stderr.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { jsonSchemaText } from '../config/json-schema';
import { listRuns, readRun } from '../run/run-store';
import { VERSION } from '../version';
import { rootFolders } from './allowed-places';
import { loadWorkspace, type McpContext } from './mcp-context';
import type { ToolExtra } from './progress';
import { continueArguments, runArguments } from './run-arguments';
import { RunTools } from './run-tools';
import { TeamTools } from './team-tools';
import { answering } from './tool-result';

const INSTRUCTIONS = `electrictown puts a team of models on a coding task: a mayor plans it into subtasks, workers write them in parallel, a witness reviews each, and with iterate the build and tests run until they pass. Start with \`run\` (it answers with the run's id at once; \`continue_run\` refines a finished run with a new round), follow it with \`run_status\` and \`wait_seconds\` (up to 600) to wait for its end, then read \`run_result\`: the summary, each file written with its diff, the findings, the gates and the cost. A run goes on if you disconnect; ask for it again by its id. \`review\` has the witness review files that exist; \`ask\` sends one prompt through a role's models; \`costs\` and \`models\` say what was spent and what is there.`;

const runId = z
  .string()
  .regex(/^[0-9a-f]{8,64}$/, 'a run id is 8 or more lowercase hex digits')
  .describe('The id `run` answered with (list_runs shows the others).');

const findingSchema = z.object({ file: z.string(), line: z.number(), column: z.number().nullable(), severity: z.enum(['error', 'warning', 'info', 'hint']), message: z.string() });
const reviewOutput = {
  reviews: z.array(z.object({ file: z.string(), score: z.number().nullable(), reason: z.string(), model: z.string().nullable(), findings: z.array(findingSchema), error: z.string().nullable() })),
  errors: z.number().describe('Findings of severity error, all files together.'),
};

/** The client's roots' folders, or undefined when it gives none (or cannot say). */
function rootsOf(server: McpServer): () => Promise<string[] | undefined> {
  return async () => {
    if (server.server.getClientCapabilities()?.roots === undefined) return undefined;
    try {
      return rootFolders((await server.server.listRoots(undefined, { timeout: 5_000 })).roots);
    } catch {
      return undefined;
    }
  };
}

function registerTools(server: McpServer, runs: RunTools, team: TeamTools): void {
  const tool = <T>(work: (args: T, extra: ToolExtra) => Promise<CallToolResult>) => (args: T, extra: ToolExtra) => answering(() => work(args, extra));
  server.registerTool(
    'run',
    {
      title: 'Run an electrictown team on a task',
      description: "Starts a run and answers at once with its runId (status running, or queued with its place in line when the server's runs are all busy). The mayor plans the task, parallel workers write the files into output_dir, the witness reviews them; with iterate the gates (build, lint, tests) run and failures go back to the workers. The run goes on in its own process, even if you disconnect. Follow it with run_status (wait_seconds), collect it with run_result.",
      inputSchema: runArguments,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    tool((args, extra) => runs.run(args, extra)),
  );
  server.registerTool(
    'continue_run',
    {
      title: 'Refine a finished run',
      description: "Continues a finished run (succeeded, failed or budget_exceeded) with a refinement, as a new round of the same run, and answers at once like run: the mayor plans only what the refinement needs from what the run did, the workers that wrote the files go on from their own conversation, the others start fresh. Same run id, record and cost ledger; the run's budget counts every round. A run still running, cancelled or interrupted is refused (resume it first with et run --resume ID). Follow it with run_status (wait_seconds), collect the round with run_result.",
      inputSchema: continueArguments,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    tool((args, extra) => runs.continueRun(args, extra)),
  );
  server.registerTool(
    'run_status',
    {
      title: "A run's state",
      description: "Where a run is: status (queued, starting, running, succeeded, failed, cancelled, budget_exceeded), the phase under way, each subtask's state, the files written so far, the gates' rounds and the spend. With wait_seconds it waits up to that long for the run to end, sending progress notifications if you gave a progress token, and answers as soon as it ends.",
      inputSchema: { run_id: runId, wait_seconds: z.number().min(0).max(600).optional().describe('Wait up to this many seconds for the run to end (default 0: answer at once).') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool((args, extra) => runs.status(args, extra)),
  );
  server.registerTool(
    'run_result',
    {
      title: "A run's result",
      description: "What a run made: status and exit code (0 succeeded, 1 failed, 3 gates still failing, 4 budget reached, 130 cancelled), the summary, each file written with its unified diff, files refused and why, the witness's and the gates' findings, the gates' rounds and the spend in tokens and USD. Ask once run_status says the run ended; while it runs this is what it has so far.",
      inputSchema: { run_id: runId },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool((args) => runs.result(args)),
  );
  server.registerTool(
    'cancel_run',
    {
      title: 'Cancel a run',
      description: 'Stops a run that et mcp started: a queued run leaves the line, a running one stops its model calls and records itself cancelled (files already written stay). Answers once it stopped (or after 10 s, still stopping).',
      inputSchema: { run_id: runId },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    tool((args, extra) => runs.cancelRun(args, extra)),
  );
  server.registerTool(
    'list_runs',
    {
      title: 'List runs',
      description: "The runs in line here, then the config's runs newest first (started here, by `et run` or by the editor): id, task, status, start and end, folder, USD.",
      inputSchema: { limit: z.number().int().min(1).max(200).optional().describe('How many at most (default 20).') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool((args) => runs.list(args)),
  );
  server.registerTool(
    'review',
    {
      title: 'Review files with the witness',
      description: "The witness model reviews each file (paths relative to the workspace) and answers with a score out of 10, a reason, and findings (file, line, column, severity, message) as structured content. An error result when a file could not be reviewed.",
      inputSchema: { files: z.array(z.string().min(1)).min(1).max(100).describe('Files to review, relative to the workspace.') },
      outputSchema: reviewOutput,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    tool((args) => team.review(args)),
  );
  server.registerTool(
    'ask',
    {
      title: "Ask a role's models",
      description: "Sends one prompt through a role's model chain (default polecat), with its retries and fallbacks, and answers with the text, the model that answered, the tokens and the cost. Give role or model, not both.",
      inputSchema: {
        prompt: z.string().min(1).describe('The whole prompt.'),
        role: z.string().min(1).optional().describe('mayor, polecat, witness, refinery, or a role of the config (default polecat).'),
        model: z.string().min(1).optional().describe('A model alias of the config, or provider/model-id, instead of a role.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    tool((args, extra) => team.ask(args, extra)),
  );
  server.registerTool(
    'costs',
    {
      title: 'What was spent',
      description: 'Totals from the cost ledger: attempts, tokens (input, cached, output) and USD by role, provider, model or run, costliest first, and a total. Unpriced attempts are counted, never shown as $0.',
      inputSchema: {
        by: z.enum(['role', 'provider', 'model', 'run']).optional().describe('How to group (default role).'),
        since: z.string().min(1).optional().describe('Only from then on: a date (local midnight), a timestamp, today, or an age like 7d, 12h, 30m.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool((args) => team.costs(args)),
  );
  server.registerTool(
    'models',
    {
      title: "The providers' models",
      description: 'Asks every provider of the config for its models; each answers with its list or its error (never its key).',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    tool(() => team.models()),
  );
}

function registerResources(server: McpServer, context: McpContext): void {
  server.registerResource(
    'run',
    new ResourceTemplate('electrictown://runs/{id}', {
      list: async () => {
        const { logDirectory } = await loadWorkspace(context);
        const runs = await listRuns(logDirectory, 50);
        return { resources: runs.map((run) => ({ uri: `electrictown://runs/${run.id}`, name: `run ${run.id}`, title: run.task.split('\n')[0].slice(0, 100), mimeType: 'application/json' })) };
      },
    }),
    { title: 'A run record', description: "A run's whole record (run.json): its flags, phases, subtasks with every model attempt, files, findings, gates and spend.", mimeType: 'application/json' },
    async (uri, variables) => {
      const id = String(variables.id);
      if (!/^[0-9a-f]{8,64}$/.test(id)) throw new Error(`"${id}" is not a run id`);
      const { logDirectory } = await loadWorkspace(context);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(await readRun(logDirectory, id), null, 2) }] };
    },
  );
  server.registerResource(
    'config-schema',
    'electrictown://schema/electrictown.schema.json',
    { title: 'electrictown.yaml schema', description: 'The JSON schema of the config file: providers, models, roles, defaults, specialists.', mimeType: 'application/schema+json' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/schema+json', text: jsonSchemaText() }] }),
  );
}

/** Serves until the client closes stdin (then until every queued run has started) or a signal ends it. */
export async function serveMcp(context: McpContext): Promise<void> {
  const server = new McpServer({ name: 'electrictown', title: 'electrictown', version: VERSION }, { instructions: INSTRUCTIONS });
  const runs = new RunTools(context, rootsOf(server));
  registerTools(server, runs, new TeamTools(context, (...args) => runs.refuseOutside(...args)));
  registerResources(server, context);
  // Runs already started go on (they are processes of their own); those still in line cannot.
  const stopNow = () => {
    runs.runs.dropWaiting();
    process.exit(0);
  };
  process.once('SIGTERM', stopNow);
  process.once('SIGINT', stopNow);
  const inputEnded = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  await server.connect(new StdioServerTransport());
  await inputEnded;
  await runs.runs.untilLineEmpty();
  await server.close();
}
