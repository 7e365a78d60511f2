// What a command needs from the outside world, so commands run the same in a terminal and in tests.
import type { StandardInput } from './standard-input';

export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** stderr is a terminal: worth a human summary line, and lines redrawn in place. */
  interactive: boolean;
  /** The terminal's width, when stderr is one. */
  columns?: number;
  /** stdout is a terminal: text can be streamed as it comes (a pipe gets only the final answer). */
  stdoutIsTerminal: boolean;
  /** How to run this `et` again (node and the bundle), for work that goes on in the background. */
  self?: readonly string[];
  /** --config PATH, wherever it appeared on the command line. */
  configPath: string | undefined;
  /**
   * Asks the user a question on the terminal and reads one line; absent when nobody can answer (stdin or
   * stderr is not a terminal). Resolves undefined when the input ends.
   */
  ask?: (question: string) => Promise<string | undefined>;
  /** Standard input, for commands that read text from it (`et ask -`); absent where there is none to read. */
  stdin?: StandardInput;
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** A failure to report as `error: …` / `hint: …`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = EXIT_ERROR,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, hint, EXIT_USAGE);
  }
}

export interface Command {
  /** Words that select it, e.g. ['config', 'check']. */
  words: readonly string[];
  usage: string;
  summary: string;
  /** Shown by `et COMMAND --help` instead of the usage line and summary. */
  help?: string;
  /** Left out of `et --help` (a tool for debugging); still runs, and answers `et COMMAND --help`. */
  hidden?: boolean;
  run(args: string[], context: CliContext): Promise<number>;
}
