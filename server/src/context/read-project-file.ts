// Reading a project file for a prompt goes through the same checks as writing one: a symlink out of the
// output folder, into `.git`, or to the run's config or log folder is not followed, so a planted link
// cannot send `~/.ssh/id_rsa` or a key to a model provider. Binary and oversized files, devices, pipes
// and sockets are not read.
import type { ReadProjectFile } from '../edits/working-copy';
import { readRegularFile } from '../read-regular-file';
import { checkRelativePath, resolveWrite, type WriteScope } from '../run/containment';

/** A file larger than this is not a source file a worker edits in place. */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

export function projectReader(scope: () => Promise<WriteScope>): ReadProjectFile {
  return async (relative) => {
    const checked = checkRelativePath(relative);
    if (!checked.ok) return { ok: false, reason: checked.reason };
    const target = await resolveWrite(await scope(), checked.relative);
    if (!target.ok) return { ok: false, reason: target.reason };
    try {
      const read = await readRegularFile(target.absolute, MAX_READ_BYTES);
      if (!read.ok) return { ok: false, reason: read.tooLarge === undefined ? read.reason : `it is larger than ${MAX_READ_BYTES / 1024 / 1024} MB` };
      if (read.bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: 'it is a binary file' };
      return { ok: true, content: read.bytes.toString('utf8') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, content: undefined };
      return { ok: false, reason: (error as Error).message };
    }
  };
}
