// Which command builds a generated project, from the files at its root: go.mod → `go build ./...`;
// package.json → its `build` script, else `tsc --noEmit -p .` when there is a tsconfig.json;
// Cargo.toml → `cargo build`; CMakeLists.txt → configure and build with cmake; Makefile → `make`;
// pyproject.toml or *.py → `python3 -m compileall -q .`. A command given with --build-cmd or
// defaults.build_command wins. Commands are argument vectors, never shell text. Pure.

export interface BuildPlan {
  /** Run in order; the first that fails fails the build. */
  steps: string[][];
  /** Why this command: `go.mod`, `package.json "build" script`, `--build-cmd`… */
  reason: string;
}

export interface ProjectRoot {
  /** Names of the files at the output directory's root. */
  files: readonly string[];
  /** package.json's text, when there is one. */
  packageJson: string | undefined;
}

export class BuildCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildCommandError';
  }
}

/** Words that read the same to a shell unquoted. */
const PLAIN_WORD = /^[\w./:=@%+,-]+$/;

/**
 * Steps as one command line a user can paste into a shell: words with anything a shell would read
 * (`(`, `|`, `$`, spaces) in single quotes, steps joined with `&&`. For logs and reports only; the steps
 * themselves run without a shell.
 */
export function commandLine(steps: readonly (readonly string[])[]): string {
  const quote = (word: string) => (PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);
  return steps.map((step) => step.map(quote).join(' ')).join(' && ');
}

/**
 * Splits a command line into words as a shell would quote them — '…', "…" and \ escapes — and does
 * nothing else: no variables, globs, pipes or `;`, which are refused, so the command runs as written.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < command.length; index++) {
    const char = command[index];
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < command.length) word += command[++index];
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < command.length) {
      word += command[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if ('|&;<>$`*?(){}'.includes(char)) {
      throw new BuildCommandError(`the build command has "${char}", which needs a shell; it runs without one — put shell logic in a script and give its path`);
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) throw new BuildCommandError('the build command has an unclosed quote');
  if (inWord) words.push(word);
  if (words.length === 0) throw new BuildCommandError('the build command is empty');
  return words;
}

function hasBuildScript(packageJson: string | undefined): boolean {
  if (packageJson === undefined) return false;
  try {
    const parsed = JSON.parse(packageJson) as { scripts?: Record<string, unknown> };
    return typeof parsed?.scripts?.build === 'string';
  } catch {
    return false;
  }
}

export function detectBuild(root: ProjectRoot, override: { command: string; source: string } | undefined): BuildPlan | undefined {
  if (override) return { steps: [splitCommand(override.command)], reason: override.source };
  const has = (name: string) => root.files.includes(name);
  if (has('go.mod')) return { steps: [['go', 'build', './...']], reason: 'go.mod' };
  if (has('package.json') && hasBuildScript(root.packageJson)) return { steps: [['npm', 'run', 'build']], reason: 'package.json "build" script' };
  if (has('package.json') && has('tsconfig.json')) return { steps: [['npx', '--no-install', 'tsc', '--noEmit', '-p', '.']], reason: 'tsconfig.json' };
  if (has('Cargo.toml')) return { steps: [['cargo', 'build']], reason: 'Cargo.toml' };
  if (has('CMakeLists.txt')) return { steps: [['cmake', '-S', '.', '-B', 'build'], ['cmake', '--build', 'build']], reason: 'CMakeLists.txt' };
  if (has('Makefile') || has('makefile') || has('GNUmakefile')) return { steps: [['make']], reason: 'Makefile' };
  if (has('pyproject.toml') || root.files.some((file) => file.endsWith('.py'))) return { steps: [['python3', '-m', 'compileall', '-q', '.']], reason: has('pyproject.toml') ? 'pyproject.toml' : 'Python files' };
  return undefined;
}
