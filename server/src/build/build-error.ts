// One error read from a build's output, and the contract of the small per-format parsers that find them.

export type BuildErrorSeverity = 'error' | 'warning';

export type BuildTool = 'go' | 'tsc' | 'esbuild' | 'eslint' | 'rustc' | 'cc' | 'python' | 'generic';

export interface BuildError {
  /** Relative POSIX path inside the output directory; undefined when the message names no file or a file outside it. */
  file: string | undefined;
  /** The path as the tool printed it. */
  rawPath: string | undefined;
  /** 1-based. */
  line: number | undefined;
  /** 1-based. */
  column: number | undefined;
  severity: BuildErrorSeverity;
  /** The tool's message: its first line plus the continuation lines that belong to it, trimmed; codes (TS2322, E0308) kept. */
  message: string;
  tool: BuildTool;
}

/** An error as a format parser finds it: `order` is the index of the line it starts on, so errors of several tools interleave as printed. */
export interface FoundError extends BuildError {
  order: number;
}

/** Maps a printed path to its file in the output directory, or undefined (see `resolveBuildPath`). */
export type ResolvePath = (rawPath: string) => string | undefined;

/** Reads one output format from ANSI-free lines; returns nothing for output that is not its format. */
export type FormatParser = (lines: readonly string[], resolve: ResolvePath) => FoundError[];
