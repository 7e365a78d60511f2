// The project map's data: what buildProjectIndex returns and the cache keeps.

export interface ProjectMapOptions {
  /** The folder to map (a run's output folder). */
  root: string;
  /** A JSON file that keeps each file's symbols between builds (e.g. `<logdir>/map-cache.json`). */
  cacheFile?: string;
  /** Folders never entered: absolute, or relative to the root (e.g. the run log folder). */
  exclude?: string[];
  /** Files mapped at most (default 20,000); the rest are counted in `omitted`. */
  maxFiles?: number;
  /** Larger files are skipped (default 1 MB). */
  maxFileBytes?: number;
  /** The whole build's time limit (default 20 s): past it, files are listed by path only. */
  timeLimitMs?: number;
  signal?: AbortSignal;
}

export interface Definition {
  name: string;
  /** function, method, class, interface, struct, trait, impl, enum, union, type, const or macro. */
  kind: string;
  /** The declaration up to its body, on one line, at most ~200 characters. */
  signature: string;
  /** 1-based first and last line. */
  line: number;
  endLine: number;
  /** The class, interface, impl or receiver type a method belongs to. */
  parent?: string;
}

export interface IndexedFile {
  /** POSIX path relative to the root. */
  path: string;
  size: number;
  mtimeMs: number;
  /** undefined: a file listed by path only. */
  language: string | undefined;
  definitions: Definition[];
  /** Names the file uses, each once: the edges of the ranking graph. */
  references: string[];
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ProjectIndex {
  root: string;
  /** Sorted by path. */
  files: IndexedFile[];
  skipped: SkippedFile[];
  /** Files not mapped because of the file limit. */
  omitted: number;
  /** What the map left out or could not do, in words. */
  notes: string[];
  stats: { parsed: number; fromCache: number; ms: number };
}

/** What a task points at: paths in the index, and names the index defines. */
export interface Focus {
  files: string[];
  identifiers: string[];
}
