import assert from 'node:assert/strict';
import { BuildCommandError, commandLine, detectBuild, splitCommand } from '../../../server/src/build/detect-build';

const root = (files: string[], packageJson?: string) => ({ files, packageJson });

describe('build detection', () => {
  it('picks the build from the files at the project root', () => {
    const steps = (files: string[], packageJson?: string) => detectBuild(root(files, packageJson), undefined)?.steps;
    assert.deepEqual(steps(['go.mod', 'main.go', 'Makefile']), [['go', 'build', './...']]);
    assert.deepEqual(steps(['package.json', 'tsconfig.json'], '{"scripts":{"build":"tsc"}}'), [['npm', 'run', 'build']]);
    assert.deepEqual(steps(['package.json', 'tsconfig.json'], '{"scripts":{"test":"mocha"}}'), [['npx', '--no-install', 'tsc', '--noEmit', '-p', '.']]);
    assert.deepEqual(steps(['package.json'], 'not json'), undefined);
    assert.deepEqual(steps(['Cargo.toml', 'src']), [['cargo', 'build']]);
    assert.deepEqual(steps(['CMakeLists.txt', 'main.c']), [['cmake', '-S', '.', '-B', 'build'], ['cmake', '--build', 'build']]);
    assert.deepEqual(steps(['Makefile', 'main.c']), [['make']]);
    assert.deepEqual(steps(['app.py']), [['python3', '-m', 'compileall', '-q', '.']]);
    assert.deepEqual(steps(['pyproject.toml', 'src']), [['python3', '-m', 'compileall', '-q', '.']]);
    assert.equal(steps(['README.md']), undefined);
  });

  it('runs a given command as written, without a shell', () => {
    assert.deepEqual(detectBuild(root(['go.mod']), { command: 'make -C build "all targets"', source: '--build-cmd' }), { steps: [['make', '-C', 'build', 'all targets']], reason: '--build-cmd' });
    assert.deepEqual(splitCommand(` npm   run 'build:prod' --\\ x "a \\"b\\"" `), ['npm', 'run', 'build:prod', '-- x', 'a "b"']);
    for (const command of ['make && rm -rf /', 'echo $HOME', 'ls *.go', 'a | b', 'a; b', '`id`', 'x > y']) assert.throws(() => splitCommand(command), BuildCommandError, command);
    assert.throws(() => splitCommand('make "all'), /unclosed quote/);
    assert.throws(() => splitCommand('   '), /empty/);
  });
});

describe('a command line shown in logs and reports', () => {
  it('quotes what a shell would read, so it can be pasted back, and leaves plain words alone', () => {
    const steps = [['python3', '-m', 'compileall', '-x', '(^|/)venv(/|$)', '.'], ['echo', "it's done", '--flag=a,b']];
    assert.equal(commandLine(steps), "python3 -m compileall -x '(^|/)venv(/|$)' . && echo 'it'\\''s done' --flag=a,b");
    assert.deepEqual(splitCommand(commandLine([steps[1]])), steps[1]);
  });
});
