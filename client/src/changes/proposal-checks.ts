// The checks before accepting proposed files, pure: which targets several pending runs propose (the user
// must pick, or their edits merge), and whether a file changed after it was proposed (then accepting
// would overwrite that change, which is never done unasked).
import type { ProposedFile } from '../../../server/src/protocol';

/** One pending proposed file of one run. */
export interface PendingEntry {
  runId: string;
  task: string;
  file: ProposedFile;
}

/** The file in the project now: absent, or its text's SHA-256 (hex). */
export type TargetNow = { exists: false } | { exists: true; sha256: string };

/** Entries by target (absolute path), in the order first seen. */
export function byTarget<T extends { file: Pick<ProposedFile, 'target'> }>(entries: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const entry of entries) groups.set(entry.file.target, [...(groups.get(entry.file.target) ?? []), entry]);
  return groups;
}

/** Targets that more than one pending run proposes, with those runs' ids. */
export function sharedTargets(entries: readonly PendingEntry[]): Map<string, string[]> {
  const shared = new Map<string, string[]>();
  for (const [target, group] of byTarget(entries)) {
    const runs = [...new Set(group.map((entry) => entry.runId))];
    if (runs.length > 1) shared.set(target, runs);
  }
  return shared;
}

/**
 * Whether the file in the project changed since the run proposed its version. A proposal from before
 * proposals named their base can only be checked for a file that appeared where none was.
 */
export function changedSinceProposed(file: Pick<ProposedFile, 'existed' | 'baseSha256'>, now: TargetNow): boolean {
  if (file.baseSha256 === undefined) return !file.existed && now.exists;
  if (file.baseSha256 === null) return now.exists;
  return !now.exists || now.sha256 !== file.baseSha256;
}

/** Whether every proposal in the group was made from the file exactly as it is now: then their edits can merge. */
export function madeFromCurrent(group: readonly Pick<PendingEntry, 'file'>[], now: TargetNow): boolean {
  return now.exists && group.every((entry) => entry.file.baseSha256 === now.sha256);
}
