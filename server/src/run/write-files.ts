// The write phase: the workers' files into the output directory. Every path is checked (containment.ts)
// and every file is written atomically — a temp file beside it, then a rename — so a crash never leaves
// half a file. Two workers writing one path is a recorded conflict; the later subtask's version is kept,
// since later subtasks see earlier ones' work.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkRelativePath, resolveInside } from './containment';

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
}

export async function writeAtomically(absolute: string, content: string): Promise<void> {
  await mkdir(path.dirname(absolute), { recursive: true });
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

/** Checks every path (containment, through symlinks) and settles conflicts, writing nothing. */
export async function planWrites(outputDirectory: string, files: readonly ProducedFile[]): Promise<WritePlan> {
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
  for (const [relative, file] of chosen) {
    const target = await resolveInside(outputDirectory, relative);
    if (target.ok) plan.targets.push({ relative, absolute: target.absolute, file });
    else plan.refused.push({ path: file.path, reason: target.reason, subtask: file.subtask });
  }
  return plan;
}

/** Headless: every file that passed the checks, written atomically to disk. */
export async function writeProducedFiles(outputDirectory: string, files: readonly ProducedFile[]): Promise<WriteReport> {
  const plan = await planWrites(outputDirectory, files);
  const report: WriteReport = { written: [], refused: plan.refused, conflicts: plan.conflicts };
  for (const { relative, absolute, file } of plan.targets) {
    await writeAtomically(absolute, file.content);
    report.written.push({ path: relative, bytes: Buffer.byteLength(file.content), subtask: file.subtask });
  }
  return report;
}
