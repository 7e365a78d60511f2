// One file of the write phase, confined at the moment it is written, not only when it was planned: its
// folder's real path is resolved again and checked (containment.ts), the temp file is created in that
// real folder without following a symlink, the folder is checked once more right before the rename, and
// after it the file at the target must be the temp file that was written. A folder swapped for a
// symlink at any point can then only make the write a refusal: a file that a swap in the last instant
// carried outside is found by its inode and removed. What the file system refuses (a name too long, a
// file where a folder must be) is a refusal of that file alone, said in words.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { resolveWrite, type ResolvedWrite, type WriteScope } from './containment';

/**
 * `.et-0123456789abcdef.tmp`: a write under way (or one a killed process left). Short and of a fixed
 * length, so that a file whose name is as long as the file system allows still gets one.
 */
export const TEMPORARY_NAME = /^\.et-[0-9a-f]{16}\.tmp$/;

const temporaryName = () => `.et-${randomBytes(8).toString('hex')}.tmp`;

/** What the file system said, for a person: the code names the case. */
export function fileSystemRefusal(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENAMETOOLONG':
      return 'its name is longer than the file system allows';
    case 'ENOTDIR':
      return 'a file is in the way of one of its folders';
    case 'EISDIR':
      return 'a folder of that name is in the way';
    case 'EEXIST':
      return 'a file or folder of that name is in the way';
    case 'EACCES':
    case 'EPERM':
      return 'the file system does not allow writing it (permission denied)';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open (the open-file limit)';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EILSEQ':
    case 'EINVAL':
      return 'the file system does not accept its name';
    default:
      return `the file system refused it (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

const MOVED = 'its folder changed while it was written (a symlink was swapped in); nothing was written';

/** For tests: called when a write is checked and about to start, where a hostile swap would strike. */
export interface WriteHooks {
  afterCheck?(relative: string, absolute: string): Promise<void> | void;
  beforeRename?(relative: string, absolute: string): Promise<void> | void;
}

export async function writeConfined(scope: WriteScope, relative: string, content: string, hooks: WriteHooks = {}): Promise<ResolvedWrite> {
  let checked: ResolvedWrite;
  try {
    checked = await resolveWrite(scope, relative);
  } catch (error) {
    return { ok: false, reason: fileSystemRefusal(error) };
  }
  if (!checked.ok) return checked;
  const target = checked.absolute;
  const folder = path.dirname(target);
  try {
    // The folders not there yet are made under the real path just resolved.
    await mkdir(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way of one of its folders' : fileSystemRefusal(error) };
  }
  let temporary: string | undefined;
  let handle: FileHandle | undefined;
  try {
    await hooks.afterCheck?.(relative, target);
    if ((await realpath(folder)) !== folder) return { ok: false, reason: MOVED };
    temporary = path.join(folder, temporaryName());
    handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
    await handle.writeFile(content, 'utf8');
    const identity = await handle.stat();
    await hooks.beforeRename?.(relative, target);
    if ((await realpath(folder)) !== folder) {
      // The folder moved with the temp file in it: where it is now, the open handle knows (Linux).
      temporary = (await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined)) ?? temporary;
      return { ok: false, reason: MOVED };
    }
    await rename(temporary, target);
    temporary = undefined;
    // A swap in the instant between the last check and the rename: find the file by its inode where the
    // folder leads now, and take it back.
    const now = await realpath(folder).catch(() => undefined);
    if (now !== folder) {
      if (now !== undefined) {
        const landed = path.join(now, path.basename(target));
        const found = await lstat(landed).catch(() => undefined);
        if (found && found.ino === identity.ino && found.dev === identity.dev) await unlink(landed).catch(() => undefined);
      }
      return { ok: false, reason: MOVED };
    }
    return { ok: true, absolute: target };
  } catch (error) {
    return { ok: false, reason: fileSystemRefusal(error) };
  } finally {
    await handle?.close().catch(() => undefined);
    if (temporary !== undefined) await rm(temporary, { force: true }).catch(() => undefined);
  }
}
