// The write phase when the user reviews before anything lands (`writeMode: "review"`): each file that
// passed the same path checks as a write to disk goes into the run folder's `proposed/` instead, and
// the client shows it as a change to accept or discard. Nothing in the output directory is touched.
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { ProposedFile } from '../protocol';
import { planWrites, writeAtomically, type FileWriter } from './write-files';

/** The run folder's sub-folder that holds the proposed files, at their paths under the output directory. */
export const PROPOSED_FOLDER = 'proposed';

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export function stagingWriter(runFolder: string): FileWriter {
  return async (outputDirectory, files, protect = []) => {
    const plan = await planWrites(outputDirectory, files, protect);
    const proposed: ProposedFile[] = await Promise.all(
      plan.targets.map(async ({ relative, absolute, file }) => {
        const staged = path.join(PROPOSED_FOLDER, ...relative.split('/'));
        await writeAtomically(path.join(runFolder, staged), file.content);
        return { path: relative, bytes: Buffer.byteLength(file.content), subtask: file.subtask, target: absolute, staged: path.join(runFolder, staged), existed: await exists(absolute) };
      }),
    );
    return { written: [], refused: plan.refused, conflicts: plan.conflicts, proposed };
  };
}
