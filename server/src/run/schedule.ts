// Dependency waves: every subtask runs after the ones it depends on, as early as it can. A cycle is an
// error that names it. Pure.
import type { Subtask } from './decompose';

export class DependencyCycleError extends Error {
  constructor(readonly cycle: readonly number[]) {
    super(`the plan's dependencies form a cycle: ${cycle.map((index) => `subtask ${index}`).join(' → ')}`);
    this.name = 'DependencyCycleError';
  }
}

/** Subtask indexes in waves; wave N holds what depends only on waves before it. */
export function dependencyWaves(subtasks: readonly Subtask[]): number[][] {
  const byIndex = new Map(subtasks.map((subtask) => [subtask.index, subtask]));
  const depth = new Map<number, number>();
  const visiting: number[] = [];
  const depthOf = (index: number): number => {
    const known = depth.get(index);
    if (known !== undefined) return known;
    const loop = visiting.indexOf(index);
    if (loop !== -1) throw new DependencyCycleError([...visiting.slice(loop), index]);
    visiting.push(index);
    const dependencies = byIndex.get(index)?.dependsOn.filter((dependency) => byIndex.has(dependency)) ?? [];
    const value = dependencies.length === 0 ? 0 : 1 + Math.max(...dependencies.map(depthOf));
    visiting.pop();
    depth.set(index, value);
    return value;
  };
  const waves: number[][] = [];
  for (const subtask of subtasks) (waves[depthOf(subtask.index)] ??= []).push(subtask.index);
  return waves.map((wave) => wave.sort((a, b) => a - b));
}
