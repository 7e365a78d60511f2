// A project index built in memory, for the project map's pure functions.
import type { Definition, IndexedFile, ProjectIndex } from '../../server/src/project-map';

export interface FileSketch {
  defines?: string[];
  uses?: string[];
  /** Full definitions, when names alone are not enough. */
  definitions?: Definition[];
}

export function indexOf(files: Record<string, FileSketch>, extra: Partial<ProjectIndex> = {}): ProjectIndex {
  const indexed: IndexedFile[] = Object.entries(files).map(([path, { defines = [], uses = [], definitions }]) => ({
    path,
    size: 1,
    mtimeMs: 1,
    language: 'go',
    definitions: definitions ?? defines.map((name, line) => ({ name, kind: 'function', signature: `func ${name}()`, line: line + 1, endLine: line + 1 })),
    references: uses,
  }));
  return { root: '/project', files: indexed, skipped: [], omitted: 0, notes: [], stats: { parsed: 0, fromCache: 0, ms: 0 }, ...extra };
}
