// The gates of one iterate: the user's (`--gate`, `defaults.gates`; `--build-cmd` as the only build
// gate), else the ones the project's root files call for. Reads the root folder and the PATH; the
// decisions are detect-gates.ts's.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { splitCommand } from '../build/detect-build';
import { detectGates, givenGates, type Gate } from './detect-gates';

export interface GatePlan {
  /** Run once per run, before the first round; a failure is the setup's, not a worker's. */
  setup: Gate[];
  /** Run in order every round; the first that fails is sent to be fixed. */
  gates: Gate[];
  /** Folders outside the project the gates write (a venv), for the sandbox. */
  writes: string[];
}

/** Whether `command` is on the PATH (no shell, no spawn: a look in each PATH folder). */
export function onPath(command: string, pathVariable = process.env.PATH ?? ''): boolean {
  return pathVariable.split(path.delimiter).some((folder) => folder !== '' && existsSync(path.join(folder, command)));
}

const PYTHON_TEST = /^(test_.*|.*_test)\.py$/;

async function hasPythonTests(root: string, files: readonly string[]): Promise<boolean> {
  if (files.some((file) => PYTHON_TEST.test(file))) return true;
  for (const folder of ['tests', 'test']) {
    const inside = await readdir(path.join(root, folder)).catch(() => [] as string[]);
    if (inside.some((file) => PYTHON_TEST.test(file))) return true;
  }
  return false;
}

export interface GateChoice {
  given: readonly string[];
  buildCommand: string | null;
  /** The log folder: a Python project's venv is made under it, one per project, never inside the project. */
  logDirectory?: string;
}

/** The venv of the project at `root`: stable across runs, so the setup cache can keep it. */
export function pythonEnvironmentOf(logDirectory: string, root: string): string {
  return path.join(logDirectory, 'venvs', createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 12));
}

export async function planGates(root: string, choice: GateChoice): Promise<GatePlan | undefined> {
  let gates: Gate[] | undefined;
  if (choice.given.length > 0) gates = givenGates(choice.given);
  else if (choice.buildCommand !== null) gates = [{ name: 'build', kind: 'build', steps: [splitCommand(choice.buildCommand)], reason: 'the given build command' }];
  else {
    const files = await readdir(root).catch(() => [] as string[]);
    const read = (name: string) => (files.includes(name) ? readFile(path.join(root, name), 'utf8').catch(() => undefined) : Promise.resolve(undefined));
    gates = detectGates({
      files,
      packageJson: await read('package.json'),
      cmakeLists: await read('CMakeLists.txt'),
      makefile: (await read('Makefile')) ?? (await read('makefile')) ?? (await read('GNUmakefile')),
      pythonTests: await hasPythonTests(root, files),
      installed: (command) => onPath(command),
      pythonEnvironment: choice.logDirectory === undefined ? undefined : pythonEnvironmentOf(choice.logDirectory, root),
    });
  }
  if (!gates || gates.length === 0) return undefined;
  return { setup: gates.filter((gate) => gate.kind === 'setup'), gates: gates.filter((gate) => gate.kind !== 'setup'), writes: gates.flatMap((gate) => (gate.writes === undefined ? [] : [gate.writes])) };
}
