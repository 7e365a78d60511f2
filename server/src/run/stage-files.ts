// The write phase when the user reviews before anything lands (`writeMode: "review"`): each file that
// passed the same path checks as a write to disk goes into the run folder's `proposed/` instead, and
// the client shows it as a change to accept or discard. Nothing in the output directory is touched.
// Each proposal names the file it was made from (its SHA-256, or null for none), so a client can tell
// when the file changed after it was proposed and refuse to overwrite that change unasked; that file's
// content is kept in the run folder's `base/`, so the client can show what changed since.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProposedFile } from '../protocol';
import { planWrites, writeAtomically, type FileWriter } from './write-files';

/** The run folder's sub-folder that holds the proposed files, at their paths under the output directory. */
export const PROPOSED_FOLDER = 'proposed';
/** The run folder's sub-folder that holds what each proposal was made from (for a file that existed). */
export const BASE_FOLDER = 'base';

export const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** The file's bytes now, or undefined when there is none. */
async function currentBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

export function stagingWriter(runFolder: string): FileWriter {
  return async (outputDirectory, files, protect = []) => {
    const plan = await planWrites(outputDirectory, files, protect);
    const proposed: ProposedFile[] = await Promise.all(
      plan.targets.map(async ({ relative, absolute, file }) => {
        const staged = path.join(PROPOSED_FOLDER, ...relative.split('/'));
        await writeAtomically(path.join(runFolder, staged), file.content);
        const now = await currentBytes(absolute);
        // What the run read is the base; a writer that was not told reads the file as it is now.
        const read = file.before === undefined ? now : file.before ?? undefined;
        const kept = read === undefined ? undefined : path.join(runFolder, BASE_FOLDER, ...relative.split('/'));
        if (kept !== undefined && read !== undefined) await writeAtomically(kept, read);
        return { path: relative, bytes: Buffer.byteLength(file.content), subtask: file.subtask, target: absolute, staged: path.join(runFolder, staged), existed: now !== undefined, baseSha256: read === undefined ? null : sha256(read), ...(kept ? { base: kept } : {}) };
      }),
    );
    return { written: [], refused: plan.refused, conflicts: plan.conflicts, proposed };
  };
}
