// What restoring an accepted run's checkpoint puts back: the files that run touched, as they were before
// it — and so every later accepted run that touched one of those files is taken back too (its other
// files with it, as they were before it). Pure.
import type { Checkpoint } from '../../../server/src/protocol';

/** A file to put back: from the checkpoint of the earliest run taken back that touched it. */
export interface FileToRestore {
  /** Relative, as the runs proposed it. */
  path: string;
  /** Absolute, in the project. */
  target: string;
  /** Absolute path of its content from before (in that run's folder); null: there was no file, it is deleted. */
  stored: string | null;
  /** The run whose checkpoint it comes from. */
  fromRun: string;
  /** SHA-256 of what the last run taken back put there: anything else there now was changed since. */
  lastAfterSha256: string;
}

export interface RestorePlan {
  /** The runs taken back, newest first: the chosen one and the later ones that touched its files. */
  runs: Checkpoint[];
  files: FileToRestore[];
}

/**
 * The plan for restoring the checkpoint of run `runId`; `checkpoints` newest first (as the server lists
 * them). Undefined when the run has none.
 */
export function restorePlan(checkpoints: readonly Checkpoint[], runId: string): RestorePlan | undefined {
  const index = checkpoints.findIndex((checkpoint) => checkpoint.runId === runId);
  if (index < 0) return undefined;
  const chosen = checkpoints[index];
  const targets = new Set(chosen.files.map((file) => file.target));
  const taken = [chosen];
  // Oldest to newest: a run that touches a file being put back is taken back too, and its files join.
  for (const later of checkpoints.slice(0, index).reverse()) {
    if (!later.files.some((file) => targets.has(file.target))) continue;
    taken.push(later);
    for (const file of later.files) targets.add(file.target);
  }
  const files = new Map<string, FileToRestore>();
  for (const run of taken) {
    for (const file of run.files) {
      const known = files.get(file.target);
      if (known) known.lastAfterSha256 = file.afterSha256;
      else files.set(file.target, { path: file.path, target: file.target, stored: file.stored, fromRun: run.runId, lastAfterSha256: file.afterSha256 });
    }
  }
  return { runs: taken.reverse(), files: [...files.values()] };
}
