// The `run` tool's arguments: their schema (what an agent reads to call it), and the run flags they
// stand for. Names are snake_case as MCP tools' usually are; each is one of `et run`'s flags, with the
// same default, and values are checked by the same rules (run-options.ts) with the same messages. Pure.
import * as z from 'zod';
import type { RunFlags } from '../protocol';
import { RUN_DEFAULTS } from '../run/run-defaults';

const whole = z.number().int();

export const runArguments = {
  task: z.string().min(1).describe('What to build or change, in words, as you would brief a team: the mayor plans it into subtasks from this.'),
  output_dir: z
    .string()
    .min(1)
    .optional()
    .describe("Where the files are written, relative to the server's working directory (the workspace); default: the workspace itself. It must be inside the workspace (or one of the client's roots, when the client gives roots)."),
  context: z
    .array(z.string().min(1))
    .optional()
    .describe('Files, folders or globs, relative to output_dir, that every worker and the mayor are shown in full (the project map shows the rest in outline).'),
  iterate: z.boolean().optional().describe('After writing, run the gates (build, lint, tests: detected, or `gates`) and send each failure back to the worker whose file broke, until they pass or max_iterations.'),
  gates: z
    .array(z.string().min(1))
    .optional()
    .describe('With iterate: the gates to run in order instead of the detected ones, each `[setup|build|test|lint:]COMMAND`, run without a shell (e.g. `test:go test ./...`).'),
  build_command: z.string().min(1).optional().describe('With iterate: the build command instead of the detected one, run without a shell.'),
  max_iterations: whole.optional().describe(`With iterate: rounds of gates at most (default ${RUN_DEFAULTS.maxIterations}).`),
  protect_tests: z.boolean().optional().describe('With iterate: refuse a fix that deletes or skips a test or removes assertions.'),
  budget_usd: z.number().optional().describe("The most the run may spend, in USD: past it no new model calls are made and the run ends as budget_exceeded (default: the config's defaults.budget_usd, else none)."),
  subtask_budget_usd: z.number().optional().describe('The most one subtask may spend, in USD: a subtask that would pass it fails, the run goes on.'),
  workers: whole.optional().describe(`Subtasks worked on at once (default ${RUN_DEFAULTS.workers}, or the config's defaults.workers).`),
  max_subtasks: whole.optional().describe(`The most subtasks the plan may have (default ${RUN_DEFAULTS.maxSubtasks}).`),
  timeout_minutes: z.number().optional().describe(`The run fails past this many minutes (default ${RUN_DEFAULTS.timeoutMinutes}).`),
  role: z.string().min(1).optional().describe(`The role that plans, coordinates and summarises (default ${RUN_DEFAULTS.role}).`),
  reviewer: z.boolean().optional().describe("false: no review of the workers' answers by the witness (default true)."),
  refinery: z.boolean().optional().describe('false: no polish of the summary by the refinery (default true).'),
  synthesize: z.boolean().optional().describe('false: no summary of the run (default true).'),
  coordinate: z.boolean().optional().describe('false: no shared brief for the workers (default true).'),
  map_tokens: whole.optional().describe(`Tokens of the project map the mayor reads (default ${RUN_DEFAULTS.mapTokens}; 0: no map).`),
};

export type RunArguments = z.infer<z.ZodObject<typeof runArguments>>;

/** The `continue_run` tool's arguments: a finished run, the refinement, and what a round may change. */
export const continueArguments = {
  run_id: z.string().regex(/^[0-9a-f]{8,64}$/, 'a run id is 8 or more lowercase hex digits').describe('The finished run to refine (succeeded, failed or budget_exceeded), as `run` answered it.'),
  refinement: z.string().min(1).describe('What to change in what the run made, in words (e.g. "the DELETE endpoint must return 404 for unknown ids"): the mayor plans only what this needs, and the workers that wrote the files go on from their own conversation.'),
  iterate: z.boolean().optional().describe("After writing, run the gates and send failures back to the workers, as `run`'s iterate (default: as the run had it)."),
  budget_usd: z.number().optional().describe("The most the whole run may spend, in USD, all rounds together (default: the run's own budget)."),
};

export type ContinueArguments = z.infer<z.ZodObject<typeof continueArguments>>;

/** The run flags the arguments give; those not given are left to their defaults. */
export function runFlagsOf(args: RunArguments): RunFlags {
  return {
    outputDir: args.output_dir,
    context: args.context,
    iterate: args.iterate,
    gates: args.gates,
    buildCommand: args.build_command,
    maxIterations: args.max_iterations,
    protectTests: args.protect_tests,
    budgetUsd: args.budget_usd,
    subtaskBudgetUsd: args.subtask_budget_usd,
    workers: args.workers,
    maxSubtasks: args.max_subtasks,
    timeoutMinutes: args.timeout_minutes,
    role: args.role,
    reviewer: args.reviewer,
    refinery: args.refinery,
    synthesize: args.synthesize,
    coordinate: args.coordinate,
    mapTokens: args.map_tokens,
  };
}

/** The argument's name for a flag's, for messages: `maxSubtasks` → `max_subtasks`. */
export function argumentName(flag: string): string {
  return flag.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
