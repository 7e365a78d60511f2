import assert from 'node:assert/strict';
import { detectGates, givenGates, kindOf, type ProjectFacts } from '../../../server/src/gates/detect-gates';
import { cacheFolders, sandboxedStep } from '../../../server/src/gates/sandbox';
import { attributeFailures, testedFiles } from '../../../server/src/gates/test-attribution';

const COMPILE = (python: string) => `${python} -m compileall -q -x (^|/)(\\.[^/]+|venv|node_modules|__pycache__)(/|$) .`;
const facts = (files: string[], more: Partial<ProjectFacts> = {}): ProjectFacts => ({ files, packageJson: undefined, cmakeLists: undefined, makefile: undefined, pythonTests: false, installed: () => false, ...more });
const summary = (gates: ReturnType<typeof detectGates>) => gates?.map((gate) => `${gate.kind} ${gate.name}: ${gate.steps.map((step) => step.join(' ')).join(' && ')}`);

describe('the gates a project calls for', () => {
  it('Go: build, vet, test', () => {
    assert.deepEqual(summary(detectGates(facts(['go.mod', 'main.go']))), ['build build: go build ./...', 'lint vet: go vet ./...', 'test test: go test ./...']);
  });

  it('Node: install by its lockfile, then build (or tsc), lint and the test script unless it is npm’s placeholder', () => {
    const packageJson = JSON.stringify({ scripts: { build: 'tsc', lint: 'eslint .', test: 'vitest run' } });
    assert.deepEqual(summary(detectGates(facts(['package.json', 'package-lock.json'], { packageJson }))), ['setup install: npm ci --no-audit --no-fund', 'build build: npm run build', 'lint lint: npm run lint', 'test test: npm run test']);
    assert.deepEqual(summary(detectGates(facts(['package.json', 'pnpm-lock.yaml', 'tsconfig.json'], { packageJson: JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }) }))), ['setup install: pnpm install --frozen-lockfile', 'build build: npx --no-install tsc --noEmit -p .']);
    assert.deepEqual(summary(detectGates(facts(['package.json', 'yarn.lock'], { packageJson: JSON.stringify({ scripts: { test: 'jest' } }) }))), ['setup install: yarn install --frozen-lockfile', 'test test: yarn run test']);
    assert.deepEqual(summary(detectGates(facts(['package.json'], { packageJson: '{ not json' }))), ['setup install: npm install --no-audit --no-fund']);
  });

  it('Rust: build and test, clippy when it is installed', () => {
    assert.deepEqual(summary(detectGates(facts(['Cargo.toml']))), ['build build: cargo build', 'test test: cargo test']);
    assert.deepEqual(summary(detectGates(facts(['Cargo.toml'], { installed: (command) => command === 'cargo-clippy' })))?.at(-1), 'lint clippy: cargo clippy -- -D warnings');
  });

  it('Python: compileall, ruff when installed, pytest or unittest only when there are tests', () => {
    assert.deepEqual(summary(detectGates(facts(['app.py']))), [`build compile: ${COMPILE('python3')}`]);
    assert.deepEqual(summary(detectGates(facts(['app.py', 'test_app.py'], { pythonTests: true }))), [`build compile: ${COMPILE('python3')}`, 'test test: python3 -m unittest discover -v']);
    assert.deepEqual(summary(detectGates(facts(['pyproject.toml'], { pythonTests: true, installed: (command) => ['pytest', 'ruff'].includes(command) }))), [`build compile: ${COMPILE('python3')}`, 'lint lint: ruff check .', 'test test: python3 -m pytest -q']);
  });

  it('Python: a venv under the log folder with the project installed, when it says how; its python runs the gates', () => {
    const venv = '/logs/venvs/abc';
    const gates = detectGates(facts(['pyproject.toml', 'requirements.txt'], { pythonTests: true, installed: (command) => command === 'pytest', pythonEnvironment: venv }));
    const pip = `${venv}/bin/python -m pip install --disable-pip-version-check --no-input --quiet`;
    assert.deepEqual(summary(gates), [
      `setup venv: python3 -m venv --system-site-packages ${venv} && ${pip} -r requirements.txt && ${pip} -e .`,
      `build compile: ${COMPILE(`${venv}/bin/python`)}`,
      `test test: ${venv}/bin/python -m pytest -q`,
    ]);
    assert.equal(gates?.[0].leaves, `${venv}/bin/python`, 'the cache checks the venv is still there');
    assert.deepEqual(summary(detectGates(facts(['setup.py'], { pythonEnvironment: venv })))?.[0], `setup venv: python3 -m venv --system-site-packages ${venv} && ${pip} -e .`);
    // Loose scripts say nothing to install: no venv, the python3 found.
    assert.deepEqual(summary(detectGates(facts(['app.py'], { pythonEnvironment: venv }))), [`build compile: ${COMPILE('python3')}`]);
  });

  it('C and C++: CMake with ctest when it enables testing, Make with make test when it has the target', () => {
    assert.deepEqual(summary(detectGates(facts(['CMakeLists.txt'], { cmakeLists: 'project(x)\nenable_testing()\nadd_test(NAME t COMMAND t)\n' }))), ['build build: cmake -S . -B build && cmake --build build', 'test test: ctest --test-dir build --output-on-failure']);
    assert.deepEqual(summary(detectGates(facts(['Makefile'], { makefile: 'all:\n\tcc main.c\n' }))), ['build build: make']);
    assert.deepEqual(summary(detectGates(facts(['Makefile'], { makefile: 'all:\n\tcc main.c\ntest: all\n\t./t\n' }))), ['build build: make', 'test test: make test']);
  });

  it('nothing at the root: no gates', () => {
    assert.equal(detectGates(facts(['README.md', 'notes.txt'])), undefined);
  });
});

describe('gates the user gives', () => {
  it('takes [kind:]COMMAND, reads the kind from the command otherwise, and numbers repeats', () => {
    assert.deepEqual(givenGates(['go build ./...', 'test:go test -race ./...', 'golangci-lint run', 'python3 -m pytest -x', 'setup:npm ci']).map((gate) => [gate.name, gate.kind, gate.steps[0].join(' ')]), [
      ['build', 'build', 'go build ./...'],
      ['test', 'test', 'go test -race ./...'],
      ['lint', 'lint', 'golangci-lint run'],
      ['test-2', 'test', 'python3 -m pytest -x'],
      ['setup', 'setup', 'npm ci'],
    ]);
    assert.equal(kindOf(['cargo', 'clippy']), 'lint');
  });

  it('refuses a command that needs a shell, saying why', () => {
    assert.throws(() => givenGates(['npm ci && npm test']), /needs a shell/);
  });
});

describe('who fixes a failing test', () => {
  it('knows which file a test file tests, by the usual names', () => {
    assert.deepEqual(testedFiles('pkg/store_test.go'), ['pkg/store.go']);
    assert.deepEqual(testedFiles('tests/test_items.py'), ['tests/items.py', 'items.py']);
    assert.deepEqual(testedFiles('src/__tests__/math.test.ts').slice(0, 2), ['src/__tests__/math.ts', 'src/__tests__/math.tsx']);
    assert.ok(testedFiles('src/__tests__/math.test.ts').includes('src/math.ts'));
    assert.deepEqual(testedFiles('tests/stack_test.rs'), ['src/stack.rs']);
    assert.deepEqual(testedFiles('crates/core/tests/stack.rs'), ['crates/core/src/stack.rs']);
    assert.deepEqual(testedFiles('src/stack.rs'), [], 'a source file tests nothing by its name');
    assert.deepEqual(testedFiles('tests/test_counter.c'), ['tests/counter.c', 'counter.c', 'src/counter.c']);
    assert.deepEqual(testedFiles('counter_test.cpp'), ['counter.cpp', 'src/counter.cpp']);
    assert.deepEqual(testedFiles('README.md'), []);
  });

  it('sends a failure to the owner of the code under test, then of the test, with the test for reference', () => {
    const failure = { test: 'TestCount', file: 'store_test.go', line: 12, message: 'Count() = 3, want 2', related: [], runner: 'go' as const };
    const [toCode] = attributeFailures([failure], new Map([['store.go', 1], ['store_test.go', 2]]));
    assert.deepEqual([toCode.file, toCode.testFile, toCode.message], ['store.go', 'store_test.go', 'test TestCount (store_test.go:12) failed: Count() = 3, want 2']);
    const [toTest] = attributeFailures([failure], new Map([['store_test.go', 2]]));
    assert.deepEqual([toTest.file, toTest.line, toTest.testFile], ['store_test.go', 12, undefined]);
    const [fromStack] = attributeFailures([{ ...failure, related: [{ file: 'internal/count.go', line: 7 }] }], new Map([['internal/count.go', 3], ['store.go', 1]]));
    assert.deepEqual([fromStack.file, fromStack.line], ['internal/count.go', 7]);
  });
});

describe('the gates’ sandbox', () => {
  it('binds the file system read-only but for the folders given, and cuts the network but for the setup', () => {
    assert.deepEqual(sandboxedStep(['go', 'test', './...'], ['/work/out', '/tmp'], false), ['bwrap', '--die-with-parent', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--bind', '/work/out', '/work/out', '--bind', '/tmp', '/tmp', '--unshare-net', '--', 'go', 'test', './...']);
    assert.ok(!sandboxedStep(['npm', 'ci'], [], true).includes('--unshare-net'));
  });

  it('knows the tool caches from the environment, and their usual places under $HOME', () => {
    assert.deepEqual(cacheFolders({ GOCACHE: '/var/cache/go', CARGO_HOME: 'relative/ignored' }, '/home/u'), ['/var/cache/go', '/home/u/.cache', '/home/u/.npm', '/home/u/.cargo', '/home/u/go']);
  });
});
