// The write phase: the workers' files into the output directory. Every path is checked (containment.ts)
// and every file is written atomically — a temp file beside it, then a rename — so a crash never leaves
// half a file. Two workers writing one path is a recorded conflict; the later subtask's version is kept,
// since later subtasks see earlier ones' work.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkRelativePath, openWriteScope, resolveWrite, type ProtectedPlace } from './containment';

export interface ProducedFile {
  /** As the model wrote it. */
  path: string;
  content: string;
  /** 1-based subtask that produced it. */
  subtask: number;
}

export interface WriteReport {
  written: { path: string; bytes: number; subtask: number }[];
  refused: { path: string; reason: string; subtask: number }[];
  conflicts: { path: string; subtasks: number[]; kept: number }[];
  /** Files staged for review instead of written (`writeMode: "review"`). */
  proposed?: import('../protocol').ProposedFile[];
}

/** `.handler.go.et-1a2b3c4d.tmp`: a write under way, or one a killed process left. */
const TEMPORARY = /^\..+\.et-[0-9a-f]{8}\.tmp$/;

/** Writes through a temp file beside the target and a rename; `makeDirectory: false` when it exists. */
export async function writeAtomically(absolute: string, content: string, makeDirectory = true): Promise<void> {
  if (makeDirectory) await mkdir(path.dirname(absolute), { recursive: true });
  const temporary = path.join(path.dirname(absolute), `.${path.basename(absolute)}.et-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, 'utf8');
    await rename(temporary, absolute);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Where each file will go, once its path passed every check; the rest refused or in conflict. */
export interface WritePlan {
  targets: { relative: string; absolute: string; file: ProducedFile }[];
  refused: WriteReport['refused'];
  conflicts: WriteReport['conflicts'];
}

/**
 * Writes files into an output directory; `protect` names places it must not touch (the run's config
 * and log folder). Headless: to disk; in the editor: one workspace edit, or staged for review.
 */
export type FileWriter = (outputDirectory: string, files: readonly ProducedFile[], protect?: readonly ProtectedPlace[]) => Promise<WriteReport>;

/** Checks every path (containment, through symlinks) and settles conflicts, writing nothing. */
export async function planWrites(outputDirectory: string, files: readonly ProducedFile[], protect: readonly ProtectedPlace[] = []): Promise<WritePlan> {
  const plan: WritePlan = { targets: [], refused: [], conflicts: [] };
  const chosen = new Map<string, ProducedFile>();
  const writers = new Map<string, number[]>();
  for (const file of [...files].sort((a, b) => a.subtask - b.subtask)) {
    const check = checkRelativePath(file.path);
    if (!check.ok) {
      plan.refused.push({ path: file.path, reason: check.reason, subtask: file.subtask });
      continue;
    }
    chosen.set(check.relative, file);
    writers.set(check.relative, [...(writers.get(check.relative) ?? []), file.subtask]);
  }
  for (const [relative, subtasks] of writers) {
    if (new Set(subtasks).size > 1) plan.conflicts.push({ path: relative, subtasks: [...new Set(subtasks)], kept: subtasks[subtasks.length - 1] });
  }
  const scope = await openWriteScope(outputDirectory, protect);
  const resolved = await Promise.all([...chosen].map(async ([relative, file]) => ({ relative, file, target: await resolveWrite(scope, relative) })));
  for (const { relative, file, target } of resolved) {
    if (target.ok) plan.targets.push({ relative, absolute: target.absolute, file });
    else plan.refused.push({ path: file.path, reason: target.reason, subtask: file.subtask });
  }
  return plan;
}

/** Headless: every file that passed the checks, written atomically to disk. */
export const writeProducedFiles: FileWriter = async (outputDirectory, files, protect = []) => {
  const plan = await planWrites(outputDirectory, files, protect);
  // Every file is written atomically on its own, so they can all be under way at once.
  await Promise.all(plan.targets.map(({ absolute, file }) => writeAtomically(absolute, file.content)));
  const written = plan.targets.map(({ relative, file }) => ({ path: relative, bytes: Buffer.byteLength(file.content), subtask: file.subtask }));
  return { written, refused: plan.refused, conflicts: plan.conflicts };
};

/**
 * Removes the temp files a killed write left in the folders of `files` (relative to the output
 * directory): a resumed run calls it before it writes again. Returns what it removed, relative.
 */
export async function removeStaleTemporaries(outputDirectory: string, files: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  const folders = new Set(files.map((file) => path.posix.dirname(file.replace(/\\/g, '/'))));
  for (const folder of folders) {
    if (!checkRelativePath(folder === '.' ? 'x' : `${folder}/x`).ok) continue;
    const names = await readdir(path.join(outputDirectory, folder)).catch(() => [] as string[]);
    for (const name of names.filter((candidate) => TEMPORARY.test(candidate))) {
      await rm(path.join(outputDirectory, folder, name), { force: true });
      removed.push(folder === '.' ? name : `${folder}/${name}`);
    }
  }
  return removed;
}
