// A run's settings: the flags (from `et run` or from `electrictown/run`'s params), checked once with
// the same rules and messages on both paths, with the config's defaults and ours filled in. Pure.
import path from 'node:path';
import * as z from 'zod';
import type { ElectrictownConfig } from '../config/schema';
import type { RunFlags, RunRecord } from '../protocol';
import { BuildCommandError, splitCommand } from '../build/detect-build';
import { givenGates } from '../gates/detect-gates';
import { RUN_DEFAULTS } from './run-defaults';


const whole = (min: number, max: number) => z.number().int().min(min).max(max);

/** Each flag's rule; the names are the protocol's, and the CLI maps its own onto them. */
export const runFlagsSchema = z.strictObject({
  role: z.string().regex(/\S/).optional(),
  outputDir: z.string().regex(/\S/).optional(),
  workers: whole(1, 256).optional(),
  maxSubtasks: whole(1, 200).optional(),
  timeoutMinutes: z.number().positive().max(7 * 24 * 60).optional(),
  synthesize: z.boolean().optional(),
  reviewer: z.boolean().optional(),
  refinery: z.boolean().optional(),
  coordinate: z.boolean().optional(),
  specialists: z.boolean().optional(),
  guardrailRetries: whole(0, 10).optional(),
  guardrailThreshold: z.number().min(0).max(10).optional(),
  budgetUsd: z.number().positive().max(1_000_000).optional(),
  subtaskBudgetUsd: z.number().positive().max(1_000_000).optional(),
  maxTurns: whole(1, 100).optional(),
  iterate: z.boolean().optional(),
  maxIterations: whole(1, 50).optional(),
  buildCommand: z.string().regex(/\S/).optional(),
  buildTimeoutMinutes: z.number().positive().max(24 * 60).optional(),
  gates: z.array(z.string().regex(/\S/)).max(50).optional(),
  protectTests: z.boolean().optional(),
  sandbox: z.boolean().optional(),
  approvePlan: z.boolean().optional(),
  context: z.array(z.string().regex(/\S/)).max(1000).optional(),
  mapTokens: whole(0, 1_000_000).optional(),
  selection: z
    .strictObject({ path: z.string().regex(/\S/), startLine: whole(1, 10_000_000), endLine: whole(1, 10_000_000), text: z.string().max(400_000) })
    .refine((selection) => selection.endLine >= selection.startLine, { message: 'must end at or after its start line' })
    .optional(),
});

export type ResolvedFlags = RunRecord['flags'];

export interface RunSettings {
  task: string;
  flags: ResolvedFlags;
  /** Absolute. */
  outputDirectory: string;
}

/** A flag with a value it cannot take; the message reads `workers must be at most 256`. */
export class RunOptionsError extends Error {
  constructor(
    /** In the protocol's spelling (`maxSubtasks`); the CLI shows its own (`--max-subtasks`). */
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field} ${rule}`);
    this.name = 'RunOptionsError';
  }
}

function describeIssue(issue: z.core.$ZodIssue): RunOptionsError {
  if (issue.code === 'unrecognized_keys') return new RunOptionsError(issue.keys[0], 'is not a run flag');
  const field = issue.path.map(String).join('.') || 'flags';
  if (issue.code === 'too_small') return new RunOptionsError(field, `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}`);
  if (issue.code === 'too_big') return new RunOptionsError(field, `must be at most ${String(issue.maximum)}`);
  if (issue.code === 'invalid_type') return new RunOptionsError(field, `must be a ${issue.expected === 'int' ? 'whole number' : issue.expected}`);
  if (issue.code === 'invalid_format') return new RunOptionsError(field, 'must not be empty');
  if (issue.code === 'custom') return new RunOptionsError(field, issue.message);
  return new RunOptionsError(field, issue.message);
}

function checkCommands(gates: readonly string[], buildCommand: string | null): void {
  try {
    givenGates(gates);
  } catch (error) {
    if (error instanceof BuildCommandError) throw new RunOptionsError('gates', `cannot run: ${error.message.replace(/^the build command/, 'a gate')}`);
    throw error;
  }
  try {
    if (buildCommand !== null) splitCommand(buildCommand);
  } catch (error) {
    if (error instanceof BuildCommandError) throw new RunOptionsError('buildCommand', `cannot run: ${error.message}`);
    throw error;
  }
}

/**
 * The settings for a run of `task` with `flags`, or a RunOptionsError naming the flag. `baseDirectory`
 * anchors a relative output directory (the workspace, or the current directory).
 */
export function resolveRunSettings(task: string, flags: RunFlags, config: ElectrictownConfig, baseDirectory: string): RunSettings {
  const trimmed = task.trim();
  if (trimmed === '') throw new RunOptionsError('task', 'is empty: say what to build');
  const parsed = runFlagsSchema.safeParse(flags);
  if (!parsed.success) throw describeIssue(parsed.error.issues[0]);
  const given = parsed.data;
  const defaults = config.defaults ?? {};
  const gates = given.gates ?? defaults.gates ?? [];
  const buildCommand = given.buildCommand ?? defaults.build_command ?? null;
  // A command that cannot run is refused now, before a model call is paid for.
  checkCommands(gates, buildCommand);
  return {
    task: trimmed,
    outputDirectory: path.resolve(baseDirectory, given.outputDir ?? '.'),
    flags: {
      role: given.role ?? RUN_DEFAULTS.role,
      outputDir: given.outputDir ?? '.',
      workers: given.workers ?? defaults.workers ?? RUN_DEFAULTS.workers,
      maxSubtasks: given.maxSubtasks ?? RUN_DEFAULTS.maxSubtasks,
      timeoutMinutes: given.timeoutMinutes ?? RUN_DEFAULTS.timeoutMinutes,
      synthesize: given.synthesize ?? true,
      reviewer: given.reviewer ?? true,
      refinery: given.refinery ?? true,
      coordinate: given.coordinate ?? true,
      specialists: given.specialists ?? true,
      guardrailRetries: given.guardrailRetries ?? RUN_DEFAULTS.guardrailRetries,
      guardrailThreshold: given.guardrailThreshold ?? RUN_DEFAULTS.guardrailThreshold,
      budgetUsd: given.budgetUsd ?? defaults.budget_usd ?? null,
      subtaskBudgetUsd: given.subtaskBudgetUsd ?? null,
      maxTurns: given.maxTurns ?? null,
      iterate: given.iterate ?? false,
      maxIterations: given.maxIterations ?? RUN_DEFAULTS.maxIterations,
      buildCommand,
      buildTimeoutMinutes: given.buildTimeoutMinutes ?? RUN_DEFAULTS.buildTimeoutMinutes,
      gates,
      protectTests: given.protectTests ?? false,
      sandbox: given.sandbox ?? true,
      approvePlan: given.approvePlan ?? false,
      context: given.context ?? [],
      mapTokens: given.mapTokens ?? RUN_DEFAULTS.mapTokens,
      ...(given.selection === undefined ? {} : { selection: given.selection }),
    },
  };
}
