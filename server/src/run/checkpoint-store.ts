// A run's checkpoint: the project's files as they were before the user accepted the run's proposals,
// kept in the run folder (`checkpoint/`), not in git, so "Restore Checkpoint" can put them back. The
// first accept of a file keeps what it held; later ones (another hunk, an accept again after an Undo)
// only note what the run put there, so the checkpoint stays "before this run". One change at a time per
// folder; the merge of a manifest with new files is pure.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointFileParams } from '../protocol';
import { checkRelativePath } from './containment';
import { writeAtomically } from './write-files';

export const CHECKPOINT_FOLDER = 'checkpoint';
const MANIFEST = 'checkpoint.json';
/** The kept contents, by path, under the checkpoint folder. */
const CONTENTS = 'files';

export interface CheckpointManifest {
  version: 1;
  /** The first accept, ISO. */
  at: string;
  /** By proposed path: whether there was a file before the run, and the SHA-256 of what the run put there. */
  files: Record<string, { existed: boolean; afterSha256: string }>;
}

/** The manifest with the files added: a file already kept keeps its "before" and gets the new "after". Pure. */
export function mergeCheckpoint(known: CheckpointManifest | undefined, files: readonly CheckpointFileParams[], at: string): { manifest: CheckpointManifest; fresh: CheckpointFileParams[] } {
  const manifest: CheckpointManifest = { version: 1, at: known?.at ?? at, files: { ...known?.files } };
  const fresh: CheckpointFileParams[] = [];
  for (const file of files) {
    const kept = manifest.files[file.path];
    if (!kept) fresh.push(file);
    manifest.files[file.path] = { existed: kept ? kept.existed : file.before !== null, afterSha256: file.afterSha256 };
  }
  return { manifest, fresh };
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

function isManifest(value: unknown): value is CheckpointManifest {
  const manifest = value as CheckpointManifest | null;
  if (manifest?.version !== 1 || typeof manifest.at !== 'string' || typeof manifest.files !== 'object' || manifest.files === null) return false;
  return Object.values(manifest.files).every((file) => typeof file?.existed === 'boolean' && typeof file.afterSha256 === 'string');
}

/** The run folder's checkpoint manifest; undefined when nothing of the run was accepted. Throws naming the file when it is not one. */
export async function readCheckpoint(folder: string): Promise<CheckpointManifest | undefined> {
  const file = path.join(folder, CHECKPOINT_FOLDER, MANIFEST);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CheckpointError(`${file} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(`${file} is not a checkpoint (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isManifest(value)) throw new CheckpointError(`${file} is not a checkpoint (its fields are not version 1, at and files)`);
  return value;
}

/** Where a checked relative path's content from before the run is kept. */
export const storedPath = (folder: string, relative: string): string => path.join(folder, CHECKPOINT_FOLDER, CONTENTS, ...relative.split('/'));

/** Checkpoints kept one change at a time per run folder. */
export class CheckpointStore {
  private readonly queues = new Map<string, Promise<unknown>>();

  /** Keeps the files' contents from before the run (those not kept already); answers the paths now in the checkpoint. */
  keep(folder: string, files: readonly CheckpointFileParams[], at: string): Promise<string[]> {
    for (const file of files) {
      const checked = checkRelativePath(file.path);
      if (!checked.ok || checked.relative !== file.path) throw new CheckpointError(`files: ${JSON.stringify(file.path)} is not a proposed path (${checked.ok ? 'not in its clean form' : checked.reason})`);
    }
    const result = (this.queues.get(folder) ?? Promise.resolve()).then(async () => {
      const { manifest, fresh } = mergeCheckpoint(await readCheckpoint(folder), files, at);
      // The contents first: a manifest never names a file whose content is not kept.
      for (const file of fresh) if (file.before !== null) await writeAtomically(storedPath(folder, file.path), file.before);
      await writeAtomically(path.join(folder, CHECKPOINT_FOLDER, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
      return Object.keys(manifest.files);
    });
    const settled = result.catch(() => undefined);
    this.queues.set(folder, settled);
    void settled.then(() => {
      if (this.queues.get(folder) === settled) this.queues.delete(folder);
    });
    return result;
  }
}
