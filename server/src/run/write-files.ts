// The write phase: the workers' files into the output directory. Every path is checked (containment.ts)
// when planned and again as it is written (confined-write.ts), and every file is written atomically — a
// temp file beside it, then a rename — so a crash never leaves half a file. A few files are written at
// a time, so a run of ten thousand files stays far from the open-file limit. A file the file system
// refuses is refused alone. Two workers writing one path is a recorded conflict; the later subtask's
// version is kept, since later subtasks see earlier ones' work.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TEMPORARY_NAME, writeConfined, type WriteHooks } from './confined-write';
import { checkRelativePath, openWriteScope, resolveWrite, type ProtectedPlace, type WriteScope } from './containment';
import { Limiter } from './limiter';

export interface ProducedFile {
  /** As the model wrote it. */
  path: string;
  content: string;
  /** 1-based subtask that produced it. */
  subtask: number;
  /** The file as the run read it before changing it; null: it did not exist; undefined: not known. */
  before?: string | null;
}

export interface WriteReport {
  written: { path: string; bytes: number; subtask: number }[];
  refused: { path: string; reason: string; subtask: number }[];
  conflicts: { path: string; subtasks: number[]; kept: number }[];
  /** Files staged for review instead of written (`writeMode: "review"`). */
  proposed?: import('../protocol').ProposedFile[];
}

/** A write under way, or one a killed process left: `.et-<16 hex>.tmp`, or `.handler.go.et-1a2b3c4d.tmp` from before. */
const TEMPORARY = (name: string) => TEMPORARY_NAME.test(name) || /^\..+\.et-[0-9a-f]{8}\.tmp$/.test(name);

/** Files of the write phase written at once: far under any open-file limit (macOS's default is 256). */
const PARALLEL_WRITES = 16;

/**
 * Writes through a temp file beside the target and a rename; `makeDirectory: false` when it exists. For
 * the run's own files (its folder, staged proposals); project files go through writeConfined.
 */
export async function writeAtomically(absolute: string, content: string | Uint8Array, makeDirectory = true): Promise<void> {
  if (makeDirectory) await mkdir(path.dirname(absolute), { recursive: true });
  const temporary = path.join(path.dirname(absolute), `.et-${randomBytes(8).toString('hex')}.tmp`);
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
  /** What the writes are checked against again, as they happen. */
  scope: WriteScope;
}

/**
 * Writes files into an output directory; `protect` names places it must not touch (the run's config
 * and log folder). Headless: to disk; in the editor: one workspace edit, or staged for review.
 */
export type FileWriter = (outputDirectory: string, files: readonly ProducedFile[], protect?: readonly ProtectedPlace[]) => Promise<WriteReport>;

/** Checks every path (containment, through symlinks) and settles conflicts, writing nothing. */
export async function planWrites(outputDirectory: string, files: readonly ProducedFile[], protect: readonly ProtectedPlace[] = []): Promise<WritePlan> {
  const scope = await openWriteScope(outputDirectory, protect);
  const plan: WritePlan = { targets: [], refused: [], conflicts: [], scope };
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
  const resolved = await Promise.all([...chosen].map(async ([relative, file]) => ({ relative, file, target: await resolveWrite(scope, relative) })));
  for (const { relative, file, target } of resolved) {
    if (target.ok) plan.targets.push({ relative, absolute: target.absolute, file });
    else plan.refused.push({ path: file.path, reason: target.reason, subtask: file.subtask });
  }
  return plan;
}

/**
 * Headless: every file that passed the checks, written to disk — each checked again as it is written —
 * and the report says exactly what is on disk: written, or refused with the reason.
 */
export async function writeProducedFiles(outputDirectory: string, files: readonly ProducedFile[], protect: readonly ProtectedPlace[] = [], hooks?: WriteHooks): Promise<WriteReport> {
  const plan = await planWrites(outputDirectory, files, protect);
  const limiter = new Limiter(PARALLEL_WRITES);
  const outcomes = await Promise.all(plan.targets.map(({ relative, file }) => limiter.run(() => writeConfined(plan.scope, relative, file.content, hooks))));
  const written: WriteReport['written'] = [];
  const refused = [...plan.refused];
  plan.targets.forEach(({ relative, file }, index) => {
    const outcome = outcomes[index];
    if (outcome.ok) written.push({ path: relative, bytes: Buffer.byteLength(file.content), subtask: file.subtask });
    else refused.push({ path: relative, reason: outcome.reason, subtask: file.subtask });
  });
  return { written, refused, conflicts: plan.conflicts };
}

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
    for (const name of names.filter(TEMPORARY)) {
      await rm(path.join(outputDirectory, folder, name), { force: true });
      removed.push(folder === '.' ? name : `${folder}/${name}`);
    }
  }
  return removed;
}
