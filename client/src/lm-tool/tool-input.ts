// The language model tool's input, checked: VS Code hands a tool whatever the agent wrote (the
// declared schema guides the model; nothing enforces it), so each field is read here and a wrong one
// is named in the words an agent can correct. Pure.

/** The tool's name, as `package.json` contributes it and `vscode.lm.tools` lists it. */
export const RUN_TOOL_NAME = 'electrictown_run';

export interface RunToolInput {
  task: string;
  /** As given: relative to the workspace folder, or absolute. */
  files: string[];
  /** Files, folders or globs relative to the output folder. */
  context: string[];
  outputDir: string | undefined;
  iterate: boolean | undefined;
  budgetUsd: number | undefined;
  workers: number | undefined;
}

export type ParsedToolInput = { ok: true; input: RunToolInput } | { ok: false; problem: string };

const MAX_WORKERS = 64;

function stringList(value: unknown, name: string): string[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.trim() !== '')) return `${name} must be a list of non-empty strings`;
  return value.map((item: string) => item.trim());
}

/** The input, or what is wrong with it (the first problem found). */
export function parseToolInput(raw: unknown): ParsedToolInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: 'the input must be an object with at least a task' };
  const input: Record<string, unknown> = { ...raw };
  if (typeof input.task !== 'string' || input.task.trim() === '') return { ok: false, problem: 'task is required: describe what the team should build or change' };
  const files = stringList(input.files, 'files');
  if (typeof files === 'string') return { ok: false, problem: files };
  const context = stringList(input.context, 'context');
  if (typeof context === 'string') return { ok: false, problem: context };
  if (input.outputDir !== undefined && (typeof input.outputDir !== 'string' || input.outputDir.trim() === '')) return { ok: false, problem: 'outputDir must be a folder relative to the workspace folder (. for the workspace itself)' };
  if (input.iterate !== undefined && typeof input.iterate !== 'boolean') return { ok: false, problem: 'iterate must be true or false' };
  if (input.budgetUsd !== undefined && (typeof input.budgetUsd !== 'number' || !Number.isFinite(input.budgetUsd) || input.budgetUsd <= 0)) return { ok: false, problem: 'budgetUsd must be a positive number of US dollars, e.g. 0.50' };
  if (input.workers !== undefined && (typeof input.workers !== 'number' || !Number.isInteger(input.workers) || input.workers < 1 || input.workers > MAX_WORKERS)) return { ok: false, problem: `workers must be a whole number from 1 to ${MAX_WORKERS}` };
  return {
    ok: true,
    input: {
      task: input.task.trim(),
      files,
      context,
      outputDir: typeof input.outputDir === 'string' ? input.outputDir.trim() : undefined,
      iterate: input.iterate,
      budgetUsd: input.budgetUsd,
      workers: input.workers,
    },
  };
}

/** Why an untrusted workspace gets no run: an agent's prompt may come from the workspace's own files. */
export const UNTRUSTED_PROBLEM = 'the workspace is not trusted, and an agent may not start runs in it (the user can trust it with "Manage Workspace Trust")';

/** The input of an invocation in a workspace trusted or not: refused untrusted, else as parseToolInput reads it. */
export function invocationInput(raw: unknown, trusted: boolean): ParsedToolInput {
  const parsed = parseToolInput(raw);
  return parsed.ok && !trusted ? { ok: false, problem: UNTRUSTED_PROBLEM } : parsed;
}
