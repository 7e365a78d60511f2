// What Run Task adds from the editor: the files the workers and the mayor are shown (the active file,
// and any the user adds), and the selected lines for Run Task on Selection — as paths relative to the
// run's output folder, which is what the server reads them against. Files outside it are left out and
// named. Pure.
import path from 'node:path';
import type { SelectedLines } from '../../../server/src/protocol';

export interface EditorFocus {
  /** Absolute. */
  file: string;
  /** 1-based, inclusive, with the text; only for Run Task on Selection. */
  selection?: { startLine: number; endLine: number; text: string };
}

export interface RunContextParams {
  context: string[];
  selection: SelectedLines | undefined;
  /** Files that are not under the output folder, so the run cannot be shown them. */
  outside: string[];
}

const relativeInside = (outputDirectory: string, file: string): string | undefined => {
  const relative = path.relative(outputDirectory, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join('/');
};

export function runContextParams(files: readonly string[], focus: EditorFocus | undefined, outputDirectory: string): RunContextParams {
  const context: string[] = [];
  const outside: string[] = [];
  for (const file of files) {
    const relative = relativeInside(outputDirectory, file);
    if (relative === undefined) outside.push(file);
    else if (!context.includes(relative)) context.push(relative);
  }
  const selected = focus?.selection ? relativeInside(outputDirectory, focus.file) : undefined;
  return { context, selection: focus?.selection && selected ? { path: selected, ...focus.selection } : undefined, outside };
}

/** How the files in context read in the options list: `handler.go (active), store.go`. */
export function describeFiles(files: readonly string[], active: string | undefined): string {
  if (files.length === 0) return 'none';
  return files.map((file) => `${path.basename(file)}${file === active ? ' (active)' : ''}`).join(', ');
}
