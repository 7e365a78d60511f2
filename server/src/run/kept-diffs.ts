// What a run changed in each file it wrote, as a diff kept in its folder (`diffs.json`), so that an
// agent asking for a run's result later — from another process, after the run's own has gone — sees
// what changed and not only which files. A FileWriter wraps another: before a file's first write it
// reads what was there, after each write it keeps what was written, and it rewrites diffs.json.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileDiff } from '../edits/run-diff';
import { readRegularFile } from '../read-regular-file';
import { checkRelativePath } from './containment';
import { writeAtomically, type FileWriter, type ProducedFile } from './write-files';

export const DIFFS_FILE = 'diffs.json';

/** A file larger than this is not read for its diff (the diff would not help anyone read it). */
const MAX_DIFFED_BYTES = 2_000_000;
/** One file's diff, at most: past it the diff is left out and said so. */
export const MAX_DIFF_CHARS = 200_000;

export interface KeptDiff {
  /** Relative to the output directory. */
  path: string;
  /** The run created it: nothing was there before. */
  created: boolean;
  /** Unified, git's format (`--- a/…`, `+++ b/…`), three lines of context; null when left out. */
  diff: string | null;
  /** Why the diff was left out. */
  omitted?: string;
}

/** Before: the text, undefined for no file, or why it could not be read. */
type Before = { text: string | undefined } | { unreadable: string };

async function readBefore(file: string): Promise<Before> {
  try {
    const read = await readRegularFile(file, MAX_DIFFED_BYTES);
    return read.ok ? { text: read.bytes.toString('utf8') } : { unreadable: read.reason };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: undefined };
    return { unreadable: `it could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
}

/** Each written file's diff, from what it was before the run to what the run last wrote. Pure. */
export function keptDiffs(before: ReadonlyMap<string, Before>, after: ReadonlyMap<string, string>): KeptDiff[] {
  return [...after].map(([relative, content]): KeptDiff => {
    const was = before.get(relative) ?? { text: undefined };
    if ('unreadable' in was) return { path: relative, created: false, diff: null, omitted: `what was there before could not be read: ${was.unreadable}` };
    const diff = fileDiff({ path: relative, before: was.text, after: content });
    if (diff.length > MAX_DIFF_CHARS) return { path: relative, created: was.text === undefined, diff: null, omitted: `the diff is ${diff.length.toLocaleString('en-US')} characters, over the limit of ${MAX_DIFF_CHARS.toLocaleString('en-US')}` };
    return { path: relative, created: was.text === undefined, diff };
  });
}

/** The file a write report names: the one of that path and subtask (a conflict keeps the later one). */
function producedOf(files: readonly ProducedFile[], written: { path: string; subtask: number }): ProducedFile | undefined {
  return files.find((file) => {
    const check = checkRelativePath(file.path);
    return file.subtask === written.subtask && check.ok && check.relative === written.path;
  });
}

/** `inner`, keeping each written file's diff in `runFolder`/diffs.json. */
export function diffKeepingWriter(inner: FileWriter, runFolder: string): FileWriter {
  const before = new Map<string, Before>();
  const after = new Map<string, string>();
  return async (outputDirectory, files, protect) => {
    for (const file of files) {
      const check = checkRelativePath(file.path);
      if (check.ok && !before.has(check.relative)) before.set(check.relative, await readBefore(path.join(outputDirectory, check.relative)));
    }
    const report = await inner(outputDirectory, files, protect);
    for (const written of report.written) {
      const produced = producedOf(files, written);
      if (produced) after.set(written.path, produced.content);
    }
    if (report.written.length > 0) await writeAtomically(path.join(runFolder, DIFFS_FILE), `${JSON.stringify(keptDiffs(before, after))}\n`, false);
    return report;
  };
}

function isKeptDiff(value: unknown): value is KeptDiff {
  return typeof value === 'object' && value !== null && 'path' in value && typeof value.path === 'string' && 'diff' in value;
}

/** The diffs a run kept; none for a run from before diffs were kept, or one that wrote nothing. */
export async function readKeptDiffs(runFolder: string): Promise<KeptDiff[]> {
  try {
    const kept: unknown = JSON.parse(await readFile(path.join(runFolder, DIFFS_FILE), 'utf8'));
    return Array.isArray(kept) ? kept.filter(isKeptDiff) : [];
  } catch {
    return [];
  }
}
