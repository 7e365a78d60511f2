import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorSignature, parseBuildErrors, type BuildError } from '../../../server/src/build/error-parsers';

// Real tool output, captured by test/fixtures/build-output/capture.sh; each <name>.json holds the project dir the
// tool ran in and the errors read from the output by hand (null for undefined).
const FIXTURES = join(__dirname, '../../fixtures/build-output');

interface Sidecar {
  tool: string;
  command: string;
  projectDir: string;
  expected: Array<{ [key in keyof BuildError]: BuildError[key] | null }>;
}

function error(fields: Partial<BuildError> & Pick<BuildError, 'message'>): BuildError {
  return { file: undefined, rawPath: undefined, line: undefined, column: undefined, severity: 'error', tool: 'generic', ...fields };
}

describe('build error parsers', () => {
  describe('on real tool output', () => {
    for (const name of readdirSync(FIXTURES).filter((file) => file.endsWith('.json')).sort()) {
      const sidecar: Sidecar = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
      it(`reads ${name.replace(/\.json$/, '.txt')} (${sidecar.tool})`, () => {
        const output = readFileSync(join(FIXTURES, name.replace(/\.json$/, '.txt')), 'utf8');
        const expected = sidecar.expected.map((fields) => Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, value ?? undefined])));
        assert.deepEqual(parseBuildErrors(output, sidecar.projectDir), expected);
      });
    }

    it('reads the same errors from tsc with and without --pretty', () => {
      const read = (name: string) => {
        const sidecar: Sidecar = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
        return parseBuildErrors(readFileSync(join(FIXTURES, `${name}.txt`), 'utf8'), sidecar.projectDir);
      };
      assert.deepEqual(read('tsc-pretty'), read('tsc-plain'));
    });
  });

  it('strips ANSI colours and hyperlinks before reading', () => {
    const output = '\x1b[1m\x1b]8;;file:///w/src/a.c\x07src/a.c\x1b]8;;\x07:3:5:\x1b[0m \x1b[0;1;31merror: \x1b[0mexpected ‘;’\x1b[K\n';
    assert.deepEqual(parseBuildErrors(output, '/w'), [error({ tool: 'cc', file: 'src/a.c', rawPath: 'src/a.c', line: 3, column: 5, message: 'expected ‘;’' })]);
  });

  it('keeps the printed path but no file for paths outside the output directory', () => {
    const output = ['/home/me/lib/util.go:3:1: undefined: x', '../shared/a.go:4:2: undefined: y', 'src/../../b.go:5:3: undefined: z', 'vendor/../c.go:6:4: undefined: w', '/work/out/node_modules/m/d.go:7:1: undefined: v', '$GOROOT/src/fmt/print.go:8:1: undefined: u'].join('\n');
    assert.deepEqual(parseBuildErrors(output, '/work/out').map((found) => [found.file, found.rawPath]), [
      [undefined, '/home/me/lib/util.go'],
      [undefined, '../shared/a.go'],
      [undefined, 'src/../../b.go'],
      ['c.go', 'vendor/../c.go'],
      [undefined, '/work/out/node_modules/m/d.go'],
      [undefined, '$GOROOT/src/fmt/print.go'],
    ]);
  });

  it('maps absolute paths inside the output directory, with or without a trailing slash, but not a sibling that shares its prefix', () => {
    const output = '/work/out/src/a.ts(1,2): error TS2304: Cannot find name \'x\'.\n/work/output/b.ts(3,4): error TS2304: Cannot find name \'y\'.';
    assert.deepEqual(parseBuildErrors(output, '/work/out/').map((found) => found.file), ['src/a.ts', undefined]);
    assert.deepEqual(parseBuildErrors(output, '/work/out').map((found) => found.file), ['src/a.ts', undefined]);
  });

  it('normalises Windows backslashes and drive letters, and ./ prefixes', () => {
    const output = ['C:\\Users\\me\\app\\src\\main.c:4:2: error: expected expression', 'src\\util.c:5:1: warning: unused variable ‘x’', './lib/./z.c:6:1: error: boom'].join('\r\n');
    assert.deepEqual(parseBuildErrors(output, 'c:\\users\\me\\app').map((found) => [found.file, found.severity]), [
      ['src/main.c', 'error'],
      ['src/util.c', 'warning'],
      ['lib/z.c', 'error'],
    ]);
  });

  it('returns nothing for empty output or output without errors', () => {
    assert.deepEqual(parseBuildErrors('', '/w'), []);
    assert.deepEqual(parseBuildErrors('\n\n   Compiling app v0.1.0\n    Finished dev profile\n', '/w'), []);
  });

  it('falls back to path:line[:col]: message only when no specific format matched', () => {
    assert.deepEqual(parseBuildErrors('checking...\nlib/app.rb:12: syntax error, unexpected end-of-input\nconfig.yml:3:7: warn: duplicate key\n', '/w'), [
      error({ file: 'lib/app.rb', rawPath: 'lib/app.rb', line: 12, message: 'syntax error, unexpected end-of-input' }),
      error({ file: 'config.yml', rawPath: 'config.yml', line: 3, column: 7, severity: 'warning', message: 'duplicate key' }),
    ]);
    const mixed = parseBuildErrors('lib/app.rb:12: syntax error\nsrc/a.c:1:2: error: expected ‘;’\n', '/w');
    assert.deepEqual(mixed.map((found) => found.tool), ['cc']);
  });

  it('merges several tools’ errors in output order', () => {
    const output = ['src/a.ts(1,1): error TS1005: \';\' expected.', 'main.go:2:3: undefined: x', 'src/b.ts(4,5): error TS2304: Cannot find name \'y\'.'].join('\n');
    assert.deepEqual(parseBuildErrors(output, '/w').map((found) => [found.tool, found.line]), [['tsc', 1], ['go', 2], ['tsc', 4]]);
  });

  it('drops duplicates of the same file, line, column and message', () => {
    const output = ['./main.go:6:18: undefined: x', 'main.go:6:18: undefined: x', 'main.go:6:19: undefined: x', 'main.go:6:18: undefined: y'].join('\n');
    assert.deepEqual(parseBuildErrors(output, '/w').map((found) => [found.column, found.message]), [[18, 'undefined: x'], [19, 'undefined: x'], [18, 'undefined: y']]);
  });

  it('keeps a Go message’s tab-indented continuation lines', () => {
    const output = './shop.go:9:14: cannot use c (variable of type Cart) as Pricer value in argument to total: Cart does not implement Pricer (missing method Price)\n\t\thave price() int\n\t\twant Price() int\n';
    assert.equal(parseBuildErrors(output, '/w')[0].message, 'cannot use c (variable of type Cart) as Pricer value in argument to total: Cart does not implement Pricer (missing method Price)\n\t\thave price() int\n\t\twant Price() int');
  });

  it('reads an ESLint file-level warning at 0:0 as having no position', () => {
    const output = '\n/w/src/gen.js\n  0:0  warning  File ignored because of a matching ignore pattern\n';
    assert.deepEqual(parseBuildErrors(output, '/w'), [error({ tool: 'eslint', file: 'src/gen.js', rawPath: '/w/src/gen.js', severity: 'warning', message: 'File ignored because of a matching ignore pattern' })]);
  });

  it('reads a location-less rustc error only in cargo’s output', () => {
    const cargo = '   Compiling app v0.1.0 (/w)\nerror: linking with `cc` failed: exit status: 1\n  |\n  = note: undefined reference\n\nerror: could not compile `app` (bin "app") due to 1 previous error\n';
    assert.deepEqual(parseBuildErrors(cargo, '/w'), [error({ tool: 'rustc', message: 'linking with `cc` failed: exit status: 1' })]);
    assert.deepEqual(parseBuildErrors('error: pathspec \'x\' did not match any file(s) known to git\n', '/w'), []);
  });

  it('places a traceback without frames inside the output directory at its last frame, without a file', () => {
    const output = 'Traceback (most recent call last):\n  File "<frozen runpy>", line 198, in _run_module_as_main\n  File "/usr/lib/python3.11/runpy.py", line 88, in _run_code\nModuleNotFoundError: No module named \'app\'\n';
    assert.deepEqual(parseBuildErrors(output, '/w'), [error({ tool: 'python', rawPath: '/usr/lib/python3.11/runpy.py', line: 88, message: 'ModuleNotFoundError: No module named \'app\'' })]);
  });

  describe('errorSignature', () => {
    const a = error({ file: 'a.ts', line: 3, column: 7, message: 'TS2322: nope' });
    const b = error({ file: 'b.ts', line: 1, column: 1, message: 'TS2304: missing' });

    it('ignores columns, warnings and order', () => {
      const warning = error({ file: 'c.ts', line: 2, severity: 'warning', message: 'unused' });
      assert.equal(errorSignature([a, b]), errorSignature([b, warning, { ...a, column: 12 }]));
    });

    it('changes when an error’s file, line or message changes', () => {
      const signature = errorSignature([a, b]);
      assert.notEqual(errorSignature([a, { ...b, line: 2 }]), signature);
      assert.notEqual(errorSignature([a, { ...b, message: 'TS2304: other' }]), signature);
      assert.notEqual(errorSignature([a]), signature);
      assert.equal(errorSignature([]), '');
    });
  });

  it('reads megabytes of noise in one linear pass', function () {
    // Lines built to tempt every format's regex without completing it, plus one very long line.
    const noise = [
      '  12:4  error  ' + 'x '.repeat(40),
      'src/a.ts(1,2): warning: not tsc  ',
      'a:1:1: a:1:1: a:1:1: [Error/ [Warning',
      '    src/app.js:1:2:x',
      'error: ' + ':1:'.repeat(20),
      '  File "x", line',
      '\x1b[31m\x1b]8;;',
    ].join('\n');
    const output = `${noise}\n`.repeat(Math.ceil((5 * 1024 * 1024) / noise.length)) + 'a:1:'.repeat(250_000) + '\nmain.go:1:1: undefined: x\n';
    assert.ok(output.length > 5 * 1024 * 1024);
    const errors = parseBuildErrors(output, '/w');
    assert.deepEqual(errors.map((found) => found.message), ['undefined: x']);
  });
});
