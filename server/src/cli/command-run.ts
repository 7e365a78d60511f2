// `et run [flags] "TASK"`: flags as electrictown spells them, before or after the task's words.
import { existsSync } from 'node:fs';
import { discoverConfig } from '../config/discover';
import type { RunFlags } from '../protocol';
import { RUN_DEFAULTS } from '../run/run-defaults';
import { CliError, UsageError, type Command } from './context';
import { parseOptions } from './parse-options';

const USAGE = 'et run [options] "TASK" | et run --resume RUN_ID_OR_FOLDER [--budget USD] ["REFINEMENT" [--iterate]]';

const HELP = `usage: ${USAGE}

Decompose TASK with the mayor, run the subtasks on parallel polecats, review them with the witness,
summarise, and write the files. Options may come before or after the task's words.

options:
  --role ROLE                the supervising role (default ${RUN_DEFAULTS.role})
  --output-dir DIR           where files are written (default: the current directory)
  --workers N                polecats at once (default ${RUN_DEFAULTS.workers}, or defaults.workers)
  --max-subtasks N           most subtasks the plan may have (default ${RUN_DEFAULTS.maxSubtasks})
  --timeout MINUTES          stop the run as failed after this many minutes (default ${RUN_DEFAULTS.timeoutMinutes})
  --budget USD               make no new model calls once the run would cost more (default: defaults.budget_usd);
                             in a terminal, you are asked whether to raise it first
  --subtask-budget USD       a subtask whose calls would cost more fails; the run goes on
  --max-turns N              model requests one subtask may make (its answer, corrections, revisions, fixes)
  --guardrail-threshold N    a review score below N (0-10) sends the work back (default ${RUN_DEFAULTS.guardrailThreshold})
  --guardrail-retries N      how many times it may go back (default ${RUN_DEFAULTS.guardrailRetries})
  --no-coordinate            no shared brief for the workers
  --no-reviewer              no review by the witness
  --no-refinery, --no-tester no polish of the summary by the refinery
  --no-synthesize            no summary (_synthesis.md)
  --no-specialists           ignore [specialist: …] assignments
  --iterate                  build the output and send each error back to the worker that wrote its file
  --max-iterations N         build attempts with --iterate (default ${RUN_DEFAULTS.maxIterations})
  --build-cmd "COMMAND"      the build, run without a shell (default: detected — go build ./..., npm run build, …)
  --build-timeout MINUTES    the longest one gate may take (default ${RUN_DEFAULTS.buildTimeoutMinutes})
  --gate "[KIND:]COMMAND"    a gate --iterate runs, in order (repeatable; KIND setup, build, test or lint;
                             default: detected — go build, go vet, go test; npm ci, build, lint, test; …)
  --protect-tests            refuse a fix that deletes or skips a test or removes assertions (it is always flagged)
  --approve-plan             after the plan is made, show it with what it may cost and wait: approve, edit or cancel
  --no-sandbox               run the gates outside the bwrap sandbox (by default, where bwrap works: no network
                             but for the setup, writes only to the output folder, the tool caches and temp)
  --context PATH             show every worker and the mayor this file, folder or glob (relative to the
                             output dir; repeatable)
  --map-tokens N             tokens of the project map the mayor reads (default ${RUN_DEFAULTS.mapTokens}; 0: no map)
  --json                     NDJSON events on stdout instead of the human report, ending with one
                             {"kind":"result",…} line: status, exit code, files with their diffs, summary,
                             findings, gates and spend (what et mcp's run_result returns)
  --run-id ID                the new run's id (8 or more hex digits), chosen by the caller (et mcp names
                             its runs so); by default a new one
  --resume RUN_ID_OR_FOLDER  continue a run that was stopped or died, without redoing its finished subtasks
                             (with --budget USD: a new budget, e.g. to go on past the one it stopped at)
  --resume RUN_ID_OR_FOLDER "REFINEMENT"
                             refine a finished run: a new round of the same run, in which the mayor plans only
                             what the refinement needs and the workers that wrote the files go on from their
                             own conversation (with --iterate, --budget USD, --json; the run's budget counts
                             every round)
  --config PATH              the config file (default ./electrictown.yaml, then $HOME/electrictown.yaml)

The summary goes to stdout; progress, tables and warnings to stderr.
exit codes: 0 succeeded, 1 failed, 2 usage, 3 build still failing (--iterate), 4 budget reached, 130 cancelled
`;

const OPTIONS = {
  role: { type: 'string' },
  'output-dir': { type: 'string' },
  workers: { type: 'string' },
  'max-subtasks': { type: 'string' },
  timeout: { type: 'string' },
  budget: { type: 'string' },
  'subtask-budget': { type: 'string' },
  'max-turns': { type: 'string' },
  'guardrail-threshold': { type: 'string' },
  'guardrail-retries': { type: 'string' },
  'no-coordinate': { type: 'boolean' },
  'no-reviewer': { type: 'boolean' },
  'no-refinery': { type: 'boolean' },
  'no-tester': { type: 'boolean' },
  'no-synthesize': { type: 'boolean' },
  'no-specialists': { type: 'boolean' },
  iterate: { type: 'boolean' },
  'max-iterations': { type: 'string' },
  'build-cmd': { type: 'string' },
  'build-timeout': { type: 'string' },
  gate: { type: 'string', multiple: true },
  'protect-tests': { type: 'boolean' },
  'no-sandbox': { type: 'boolean' },
  'approve-plan': { type: 'boolean' },
  context: { type: 'string', multiple: true },
  'map-tokens': { type: 'string' },
  json: { type: 'boolean' },
  resume: { type: 'string' },
  'run-id': { type: 'string' },
} as const;

/** The protocol's name for each numeric flag. */
const NUMERIC_FLAGS = {
  workers: 'workers',
  'max-subtasks': 'maxSubtasks',
  timeout: 'timeoutMinutes',
  budget: 'budgetUsd',
  'subtask-budget': 'subtaskBudgetUsd',
  'max-turns': 'maxTurns',
  'guardrail-threshold': 'guardrailThreshold',
  'guardrail-retries': 'guardrailRetries',
  'max-iterations': 'maxIterations',
  'build-timeout': 'buildTimeoutMinutes',
  'map-tokens': 'mapTokens',
} as const satisfies Record<string, keyof RunFlags>;

/** The CLI's spelling of a protocol field, for messages: maxSubtasks → --max-subtasks. */
/** Fields whose flag is not their name in dashes. */
const SPELLED_APART: Readonly<Record<string, string>> = { gates: '--gate', buildCommand: '--build-cmd' };

export function flagName(field: string): string {
  const entry = Object.entries(NUMERIC_FLAGS).find(([, name]) => name === field);
  if (entry) return `--${entry[0]}`;
  if (Object.hasOwn(SPELLED_APART, field)) return SPELLED_APART[field];
  return `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function numberFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} needs a number, not "${text}"`, `usage: ${USAGE}`);
  return value;
}

/** As run folders name runs: 8 or more lowercase hex digits. */
const RUN_ID = /^[0-9a-f]{8,64}$/;

export function runFlagsFromArgs(args: string[]): { task: string; flags: RunFlags; json: boolean; resume: string | undefined; runId?: string } {
  const { values, positionals } = parseOptions(args, OPTIONS, USAGE, Number.POSITIVE_INFINITY);
  const task = positionals.join(' ').trim();
  const runId = values['run-id'];
  if (runId !== undefined && !RUN_ID.test(runId)) throw new UsageError(`--run-id "${runId}" is not a run id: 8 to 64 lowercase hex digits`, `usage: ${USAGE}`);
  if (values.resume !== undefined) {
    // A resumed run is the run it was: its task and flags are in its record — but for a new budget, to
    // go on past the one it stopped at. With a task, the task is a refinement: a follow-up round, which
    // may also run the gates.
    const allowed = task === '' ? ['resume', 'json', 'budget'] : ['resume', 'json', 'budget', 'iterate', 'approve-plan'];
    const others = Object.keys(values).filter((name) => !allowed.includes(name));
    if (others.length > 0) throw new UsageError(`--resume takes no other options but --budget${task === '' ? '' : ', --iterate and --approve-plan'} (got --${others.join(', --')})`, 'usage: et run --resume RUN_ID_OR_FOLDER [--budget USD] [--json] ["REFINEMENT" [--iterate] [--approve-plan]]');
    const budgetUsd = numberFlag('budget', values.budget);
    const flags: RunFlags = { ...(budgetUsd === undefined ? {} : { budgetUsd }), ...(values.iterate && task !== '' ? { iterate: true } : {}), ...(values['approve-plan'] && task !== '' ? { approvePlan: true } : {}) };
    return { task, flags, json: values.json === true, resume: values.resume };
  }
  if (task === '') throw new UsageError('run needs a task', `usage: ${USAGE}`);
  const flags: RunFlags = {};
  for (const [name, field] of Object.entries(NUMERIC_FLAGS)) {
    const value = numberFlag(name, values[name as keyof typeof NUMERIC_FLAGS]);
    if (value !== undefined) flags[field] = value;
  }
  if (values.role !== undefined) flags.role = values.role;
  if (values['output-dir'] !== undefined) flags.outputDir = values['output-dir'];
  if (values['no-coordinate']) flags.coordinate = false;
  if (values['no-reviewer']) flags.reviewer = false;
  if (values['no-refinery'] || values['no-tester']) flags.refinery = false;
  if (values['no-synthesize']) flags.synthesize = false;
  if (values['no-specialists']) flags.specialists = false;
  if (values.iterate) flags.iterate = true;
  if (values['build-cmd'] !== undefined) flags.buildCommand = values['build-cmd'];
  if (values.context !== undefined) flags.context = values.context;
  if (values.gate !== undefined) flags.gates = values.gate;
  if (values['protect-tests']) flags.protectTests = true;
  if (values['no-sandbox']) flags.sandbox = false;
  if (values['approve-plan']) flags.approvePlan = true;
  return { task, flags, json: values.json === true, resume: undefined, ...(runId === undefined ? {} : { runId }) };
}

/** The boolean flags: the value each switch on the command line gives its field. */
const SWITCHES: readonly (readonly [keyof RunFlags, boolean, string])[] = [
  ['iterate', true, 'iterate'],
  ['protectTests', true, 'protect-tests'],
  ['coordinate', false, 'no-coordinate'],
  ['reviewer', false, 'no-reviewer'],
  ['refinery', false, 'no-refinery'],
  ['synthesize', false, 'no-synthesize'],
  ['specialists', false, 'no-specialists'],
  ['sandbox', false, 'no-sandbox'],
  ['approvePlan', true, 'approve-plan'],
];

/**
 * The command line that gives `et run` these flags: `runFlagsFromArgs(runFlagsToArgs(flags))` gives
 * them back. For a caller that runs `et run` in a process of its own (`et mcp`). `selection` has no
 * flag and is left out.
 */
export function runFlagsToArgs(flags: RunFlags): string[] {
  const args: string[] = [];
  for (const [name, field] of Object.entries(NUMERIC_FLAGS)) {
    const value = flags[field];
    if (value !== undefined) args.push(`--${name}`, String(value));
  }
  if (flags.role !== undefined) args.push('--role', flags.role);
  if (flags.outputDir !== undefined) args.push('--output-dir', flags.outputDir);
  if (flags.buildCommand !== undefined) args.push('--build-cmd', flags.buildCommand);
  for (const [field, value, name] of SWITCHES) if (flags[field] === value) args.push(`--${name}`);
  for (const gate of flags.gates ?? []) args.push('--gate', gate);
  for (const context of flags.context ?? []) args.push('--context', context);
  return args;
}

export const runCommand: Command = {
  words: ['run'],
  usage: USAGE,
  summary: 'decompose a task, run it on parallel workers, review, summarise and write the files',
  help: HELP,
  async run(args, context) {
    const { task, flags, json, resume, runId } = runFlagsFromArgs(args);
    const discovery = discoverConfig({ explicitPath: context.configPath, cwd: context.cwd, home: context.env.HOME, exists: existsSync });
    if (!discovery.found && resume === undefined) throw new CliError(`no config found; tried ${discovery.tried.join(', ')}`, 'pass --config PATH, or create one with the example in the README');
    const { runFromCli } = await import('./run-task');
    return runFromCli({ configFile: discovery.found ? discovery.path : undefined, task, flags, json, resume, runId, context });
  },
};
