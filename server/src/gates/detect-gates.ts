// Which gates decide a project, from the files at its root, when none are given: a setup step (the
// dependencies, once per run) and then build, lint and test commands in the order their failures are
// cheapest to read. Go: go build → go vet → go test. Node: install (npm ci with a lockfile, pnpm and
// yarn by theirs), the build script or tsc, the test script unless it is npm's placeholder, the lint
// script. Rust: cargo build → cargo test → cargo clippy when installed. Python: compileall, then pytest
// or unittest when there are tests, ruff when installed. C/C++: CMake (ctest when it enables testing)
// or Make (make test when it has the target). Commands are argument vectors, never shell text. Pure:
// what is installed and what the files say are given.
import { splitCommand } from '../build/detect-build';

export type GateKind = 'setup' | 'build' | 'test' | 'lint';

export interface Gate {
  /** Unique in a plan: `build`, `vet`, `test`, `lint`, `install`, or the user's. */
  name: string;
  kind: GateKind;
  /** Run in order; the first that fails fails the gate. */
  steps: string[][];
  /** Why this command: `go.mod`, `package.json "test" script`, `--gate`… */
  reason: string;
  /** For a setup step: what it leaves behind (relative to the project, or absolute); gone, it runs again. */
  leaves?: string;
  /** A folder outside the project the gate writes (a venv): writable in the sandbox. */
  writes?: string;
}

export interface ProjectFacts {
  /** Names of the files at the project's root. */
  files: readonly string[];
  packageJson: string | undefined;
  /** CMakeLists.txt's text, when there is one. */
  cmakeLists: string | undefined;
  /** Makefile's text, when there is one. */
  makefile: string | undefined;
  /** Whether the project has Python test files (test_*.py, *_test.py, tests/). */
  pythonTests: boolean;
  /** Whether a command is on the PATH (clippy, ruff, pytest…). */
  installed(command: string): boolean;
  /**
   * Where this project's Python virtual environment goes (under the log folder, never inside the
   * project); without it, Python gates use `python3` as found.
   */
  pythonEnvironment?: string;
}

/** npm init's test script: a placeholder that always fails, not a test suite. */
const NPM_PLACEHOLDER = /no test specified/i;

function scripts(packageJson: string | undefined): Record<string, string> {
  if (packageJson === undefined) return {};
  try {
    const parsed = JSON.parse(packageJson) as { scripts?: Record<string, unknown> };
    return Object.fromEntries(Object.entries(parsed?.scripts ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

function nodeGates(facts: ProjectFacts): Gate[] {
  const has = (name: string) => facts.files.includes(name);
  const manager = has('pnpm-lock.yaml') ? 'pnpm' : has('yarn.lock') ? 'yarn' : 'npm';
  const install: Gate =
    manager === 'pnpm'
      ? { name: 'install', kind: 'setup', steps: [['pnpm', 'install', '--frozen-lockfile']], reason: 'pnpm-lock.yaml' }
      : manager === 'yarn'
        ? { name: 'install', kind: 'setup', steps: [['yarn', 'install', '--frozen-lockfile']], reason: 'yarn.lock' }
        : has('package-lock.json') || has('npm-shrinkwrap.json')
          ? { name: 'install', kind: 'setup', steps: [['npm', 'ci', '--no-audit', '--no-fund']], reason: 'package-lock.json' }
          : { name: 'install', kind: 'setup', steps: [['npm', 'install', '--no-audit', '--no-fund']], reason: 'package.json (no lockfile)' };
  install.leaves = 'node_modules';
  const run = (script: string) => (manager === 'npm' ? ['npm', 'run', script] : [manager, 'run', script]);
  const found = scripts(facts.packageJson);
  const gates: Gate[] = [install];
  if (found.build !== undefined) gates.push({ name: 'build', kind: 'build', steps: [run('build')], reason: 'package.json "build" script' });
  else if (has('tsconfig.json')) gates.push({ name: 'build', kind: 'build', steps: [['npx', '--no-install', 'tsc', '--noEmit', '-p', '.']], reason: 'tsconfig.json' });
  if (found.lint !== undefined) gates.push({ name: 'lint', kind: 'lint', steps: [run('lint')], reason: 'package.json "lint" script' });
  if (found.test !== undefined && !NPM_PLACEHOLDER.test(found.test)) gates.push({ name: 'test', kind: 'test', steps: [run('test')], reason: 'package.json "test" script' });
  return gates;
}

/** What compileall leaves alone: hidden folders (.git, .venv, .tox), venv and node_modules are not the project's code. */
const NOT_PROJECT_CODE = '(^|/)(\\.[^/]+|venv|node_modules|__pycache__)(/|$)';

/**
 * A venv with the project installed when it says how (pyproject.toml, setup.py, requirements.txt). It
 * sees the system's packages, so pytest and dependencies already installed there need no network.
 */
function pythonSetup(facts: ProjectFacts, venv: string): Gate | undefined {
  const has = (name: string) => facts.files.includes(name);
  const pip = [`${venv}/bin/python`, '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet'];
  const steps: string[][] = [['python3', '-m', 'venv', '--system-site-packages', venv]];
  const reasons: string[] = [];
  if (has('requirements.txt')) {
    steps.push([...pip, '-r', 'requirements.txt']);
    reasons.push('requirements.txt');
  }
  if (has('pyproject.toml') || has('setup.py')) {
    steps.push([...pip, '-e', '.']);
    reasons.push(has('pyproject.toml') ? 'pyproject.toml' : 'setup.py');
  }
  if (reasons.length === 0) return undefined;
  return { name: 'venv', kind: 'setup', steps, reason: reasons.join(', '), leaves: `${venv}/bin/python`, writes: venv };
}

function pythonGates(facts: ProjectFacts): Gate[] {
  const setup = facts.pythonEnvironment === undefined ? undefined : pythonSetup(facts, facts.pythonEnvironment);
  const python = setup ? `${facts.pythonEnvironment}/bin/python` : 'python3';
  const gates: Gate[] = setup ? [setup] : [];
  gates.push({ name: 'compile', kind: 'build', steps: [[python, '-m', 'compileall', '-q', '-x', NOT_PROJECT_CODE, '.']], reason: facts.files.includes('pyproject.toml') ? 'pyproject.toml' : 'Python files' });
  if (facts.installed('ruff')) gates.push({ name: 'lint', kind: 'lint', steps: [['ruff', 'check', '.']], reason: 'ruff is installed' });
  if (facts.pythonTests) {
    gates.push(facts.installed('pytest') ? { name: 'test', kind: 'test', steps: [[python, '-m', 'pytest', '-q']], reason: 'Python tests, pytest installed' } : { name: 'test', kind: 'test', steps: [[python, '-m', 'unittest', 'discover', '-v']], reason: 'Python tests (unittest)' });
  }
  return gates;
}

function cGates(facts: ProjectFacts): Gate[] | undefined {
  const has = (name: string) => facts.files.includes(name);
  if (has('CMakeLists.txt')) {
    const gates: Gate[] = [{ name: 'build', kind: 'build', steps: [['cmake', '-S', '.', '-B', 'build'], ['cmake', '--build', 'build']], reason: 'CMakeLists.txt' }];
    if (/\benable_testing\s*\(|\badd_test\s*\(/i.test(facts.cmakeLists ?? '')) gates.push({ name: 'test', kind: 'test', steps: [['ctest', '--test-dir', 'build', '--output-on-failure']], reason: 'CMakeLists.txt enables testing' });
    return gates;
  }
  if (has('Makefile') || has('makefile') || has('GNUmakefile')) {
    const gates: Gate[] = [{ name: 'build', kind: 'build', steps: [['make']], reason: 'Makefile' }];
    if (/^test\s*:/m.test(facts.makefile ?? '')) gates.push({ name: 'test', kind: 'test', steps: [['make', 'test']], reason: 'Makefile "test" target' });
    return gates;
  }
  return undefined;
}

/** The gates a project's files call for, in order; undefined when nothing at its root says how to build it. */
export function detectGates(facts: ProjectFacts): Gate[] | undefined {
  const has = (name: string) => facts.files.includes(name);
  if (has('go.mod')) {
    return [
      { name: 'build', kind: 'build', steps: [['go', 'build', './...']], reason: 'go.mod' },
      { name: 'vet', kind: 'lint', steps: [['go', 'vet', './...']], reason: 'go.mod' },
      { name: 'test', kind: 'test', steps: [['go', 'test', './...']], reason: 'go.mod' },
    ];
  }
  if (has('package.json')) return nodeGates(facts);
  if (has('Cargo.toml')) {
    const gates: Gate[] = [
      { name: 'build', kind: 'build', steps: [['cargo', 'build']], reason: 'Cargo.toml' },
      { name: 'test', kind: 'test', steps: [['cargo', 'test']], reason: 'Cargo.toml' },
    ];
    if (facts.installed('cargo-clippy')) gates.push({ name: 'clippy', kind: 'lint', steps: [['cargo', 'clippy', '--', '-D', 'warnings']], reason: 'cargo clippy is installed' });
    return gates;
  }
  const c = cGates(facts);
  if (c) return c;
  if (has('pyproject.toml') || has('setup.py') || has('requirements.txt') || facts.files.some((file) => file.endsWith('.py'))) return pythonGates(facts);
  return undefined;
}

/** A gate's kind from its command, for `--gate CMD` without one: tests and linters by their usual names. */
export function kindOf(words: readonly string[]): Exclude<GateKind, 'setup'> {
  const text = words.join(' ');
  if (/\b(test|tests|pytest|unittest|jest|vitest|mocha|ctest)\b/.test(text)) return 'test';
  if (/\b(lint|vet|clippy|ruff|eslint|flake8|pylint|golangci-lint|staticcheck)\b/.test(text)) return 'lint';
  return 'build';
}

/**
 * Gates given by the user (`--gate`, `defaults.gates`): `[kind:]COMMAND`, named by kind, numbered when a
 * kind repeats. Throws BuildCommandError for a command that needs a shell, before any model call.
 */
export function givenGates(specs: readonly string[]): Gate[] {
  const gates: Gate[] = [];
  for (const spec of specs) {
    const prefixed = /^(setup|build|test|lint):(.*)$/s.exec(spec.trim());
    const steps = [splitCommand(prefixed ? prefixed[2] : spec)];
    const kind = prefixed ? (prefixed[1] as GateKind) : kindOf(steps[0]);
    const same = gates.filter((gate) => gate.kind === kind).length;
    gates.push({ name: same === 0 ? kind : `${kind}-${same + 1}`, kind, steps, reason: 'given' });
  }
  return gates;
}
