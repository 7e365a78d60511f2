// What the write phase decides before it writes: the paths in the answers that may not be written (the
// writer refuses and records them), and the changes that would run code when the project is merely
// opened, entered or built — held in the run folder (`held/`) for the user to review unless a subtask
// asked for that file by name, or the client reviews every file anyway (then they are only marked).
import path from 'node:path';
import { askedFor, runsCode } from '../edits/runs-code';
import { parseAnswer } from '../edits/parse-answer';
import type { FileChange, WorkingCopy } from '../edits/working-copy';
import type { RunFinding } from '../protocol';
import { checkRelativePath } from './containment';
import type { WorkerOutcome } from './subtask-worker';
import { writeAtomically, type ProducedFile, type WriteReport } from './write-files';

/** Paths in the final answers that may not be written; a failed subtask's too, often why it failed. */
export function refusedPaths(outcomes: readonly WorkerOutcome[], copy: WorkingCopy): ProducedFile[] {
  const refused: ProducedFile[] = [];
  for (const outcome of outcomes) {
    if (outcome.answer === undefined) continue;
    const parsed = parseAnswer(outcome.answer);
    for (const written of new Set([...parsed.files.map((file) => file.path), ...parsed.edits.map((edit) => edit.path)])) {
      const checked = checkRelativePath(written);
      if (!checked.ok || copy.refusal(checked.relative) !== undefined) refused.push({ path: written, content: '', subtask: outcome.index });
    }
  }
  return refused;
}

export interface HeldChanges {
  /** Not written: recorded as refused, with where they wait. */
  held: WriteReport['refused'];
  /** Path → why it runs code: a proposed file is marked with it. */
  marked: Map<string, string>;
  findings: RunFinding[];
}

export async function holdRunnableChanges(changes: readonly FileChange[], options: { subtaskText(index: number): string; runFolder: string; reviewsEveryFile: boolean }): Promise<HeldChanges> {
  const result: HeldChanges = { held: [], marked: new Map(), findings: [] };
  for (const change of changes) {
    const reason = runsCode(change.path, change.before, change.after);
    if (reason === undefined || change.subtasks.some((index) => askedFor(change.path, options.subtaskText(index)))) continue;
    const subtask = change.subtasks[change.subtasks.length - 1];
    result.marked.set(change.path, reason);
    result.findings.push({ source: 'file-blocks', subtask, file: change.path, line: undefined, column: undefined, severity: 'warning', message: `runs code: ${reason}` });
    if (options.reviewsEveryFile) continue;
    const staged = path.join(options.runFolder, 'held', ...change.path.split('/'));
    await writeAtomically(staged, change.after);
    result.held.push({ path: change.path, reason: `it runs code when the project is opened, entered or built (${reason}); held for review in ${staged}`, subtask });
  }
  return result;
}
