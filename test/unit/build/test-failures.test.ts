import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FAILURES, parseTestOutput, type TestFailure, type TestReport } from '../../../server/src/build/test-failures/parse-test-output';

// Real runner output, captured by test/fixtures/test-output/capture.sh; each <name>.json holds the project dir the
// runner ran in and the report read from the output by hand (null for undefined).
const FIXTURES = join(__dirname, '../../fixtures/test-output');

interface Sidecar {
  runner: string;
  command: string;
  projectDir: string;
  expected: unknown;
}

function readFixture(name: string): { output: string; sidecar: Sidecar } {
  const sidecar: Sidecar = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
  return { output: readFileSync(join(FIXTURES, `${name}.txt`), 'utf8'), sidecar };
}

// The sidecars write undefined as null.
function withUndefined(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(withUndefined);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as object).map(([key, inner]) => [key, withUndefined(inner)]));
  return value;
}

function failure(fields: Partial<TestFailure> & Pick<TestFailure, 'test' | 'runner'>): TestFailure {
  return { file: undefined, line: undefined, message: '', related: [], ...fields };
}

const FIXTURE_NAMES = readdirSync(FIXTURES).filter((file) => file.endsWith('.json')).map((file) => file.replace(/\.json$/, '')).sort();

describe('test output parsers', () => {
  describe('on real runner output', () => {
    for (const name of FIXTURE_NAMES) {
      it(`reads ${name}.txt`, () => {
        const { output, sidecar } = readFixture(name);
        assert.deepEqual(parseTestOutput(output, sidecar.projectDir), withUndefined(sidecar.expected));
      });
    }

    it('reads every fixture the same with CRLF line ends and with the project dir given with a trailing slash', () => {
      for (const name of FIXTURE_NAMES) {
        const { output, sidecar } = readFixture(name);
        const expected = parseTestOutput(output, sidecar.projectDir);
        assert.deepEqual(parseTestOutput(output.replace(/\r?\n/g, '\r\n'), `${sidecar.projectDir}/`), expected, name);
      }
    });

    it('reads the same failures from go test with and without -v', () => {
      const read = (name: string) => {
        const { output, sidecar } = readFixture(name);
        return parseTestOutput(output, sidecar.projectDir).failures;
      };
      assert.deepEqual(read('go-test-verbose'), read('go-test'));
    });

    it('finds a cargo test’s line in the test function only with a backtrace, and the same failures otherwise', () => {
      const read = (name: string) => {
        const { output, sidecar } = readFixture(name);
        return parseTestOutput(output, sidecar.projectDir).failures;
      };
      const withBacktrace = read('cargo-test-backtrace');
      const without = read('cargo-test');
      assert.deepEqual(without.map(({ line: _line, ...rest }) => rest), withBacktrace.map(({ line: _line, ...rest }) => rest));
      assert.deepEqual([without[2].line, withBacktrace[2].line], [undefined, 12]);
    });
  });

  it('returns nothing for empty output or output that is no runner’s', () => {
    const nothing: TestReport = { failures: [], passed: undefined, failed: undefined, skipped: undefined, noTests: false };
    assert.deepEqual(parseTestOutput('', '/w'), nothing);
    assert.deepEqual(parseTestOutput('make: Entering directory /w\nok\nFAIL\nall done\n', '/w'), nothing);
  });

  it('merges several runners’ failures in output order and sums their counts', () => {
    const output = [
      'make test',
      '--- FAIL: TestTotal (0.00s)',
      '    cart_test.go:9: total = 3, want 4',
      'FAIL',
      'FAIL\tshop\t0.004s',
      '?   \tshop/cmd/tool\t[no test files]',
      '============================= test session starts ==============================',
      'collected 2 items',
      '',
      'tests/test_items.py F.                                                   [100%]',
      '',
      '=================================== FAILURES ===================================',
      '__________________________________ test_count __________________________________',
      '',
      '    def test_count():',
      '>       assert count() == 1',
      'E       assert 2 == 1',
      '',
      'tests/test_items.py:4: AssertionError',
      '=========================== short test summary info ============================',
      'FAILED tests/test_items.py::test_count - assert 2 == 1',
      '========================= 1 failed, 1 passed in 0.01s ==========================',
      'TAP version 13',
      'not ok 1 - formats',
      '  ---',
      "  location: '/w/web/test/format.test.js:3:1'",
      "  error: 'boom'",
      '  ...',
      '1..1',
      '# tests 1',
      '# pass 0',
      '# fail 1',
    ].join('\n');
    const report = parseTestOutput(output, '/w');
    assert.deepEqual(report.failures, [
      failure({ runner: 'go', test: 'TestTotal', file: 'cart_test.go', line: 9, message: 'cart_test.go:9: total = 3, want 4' }),
      failure({ runner: 'pytest', test: 'tests/test_items.py::test_count', file: 'tests/test_items.py', line: 4, message: 'assert 2 == 1' }),
      failure({ runner: 'node-test', test: 'formats', file: 'web/test/format.test.js', line: 3, message: 'boom' }),
    ]);
    // go prints no passed count; pytest and node do.
    assert.deepEqual([report.passed, report.failed, report.skipped, report.noTests], [1, 3, 0, false]);
  });

  describe('no tests', () => {
    it('is reported when the only runner says so', () => {
      assert.equal(parseTestOutput('?   \tshop\t[no test files]\n', '/w').noTests, true);
      assert.equal(parseTestOutput('----------------------------------------------------------------------\nRan 0 tests in 0.000s\n\nNO TESTS RAN\n', '/w').noTests, true);
      assert.equal(parseTestOutput('TAP version 13\n1..0 # SKIP no tests here\n', '/w').noTests, true);
      assert.equal(parseTestOutput('\n  0 passing (2ms)\n\n', '/w').noTests, true);
    });

    it('is not reported when another runner, or another package, ran tests', () => {
      assert.equal(parseTestOutput('?   \tshop/cmd\t[no test files]\nok  \tshop\t0.002s\n', '/w').noTests, false);
      const output = 'running 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n\n' + 'Ran 3 tests in 0.001s\n\nOK\n';
      const report = parseTestOutput(output, '/w');
      assert.deepEqual([report.noTests, report.passed], [false, 3]);
    });
  });

  describe('paths', () => {
    it('relates no files when a stack names only node_modules, node internals and the standard library', () => {
      const jest = [
        'FAIL test/api.test.js',
        '  ● api › fetches',
        '',
        '    TypeError: fetch failed',
        '',
        '      at node:internal/deps/undici/undici:13502:13',
        '      at Object.fetch (node_modules/node-fetch/lib/index.js:10:3)',
        '      at /w/node_modules/.pnpm/got@14.0.0/node_modules/got/dist/source/core/index.js:5:9',
        '',
      ].join('\n');
      assert.deepEqual(parseTestOutput(jest, '/w').failures, [failure({ runner: 'jest', test: 'api › fetches', file: 'test/api.test.js', message: 'TypeError: fetch failed' })]);

      const unittest = [
        '======================================================================',
        'ERROR: test_load (test_config.ConfigTest.test_load)',
        '----------------------------------------------------------------------',
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads',
        '    return _default_decoder.decode(s)',
        '  File "/usr/lib/python3.11/json/decoder.py", line 337, in decode',
        '    obj, end = self.raw_decode(s, idx=_w(s, 0).end())',
        'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)',
        '',
      ].join('\n');
      assert.deepEqual(parseTestOutput(unittest, '/w').failures, [failure({ runner: 'unittest', test: 'test_load (test_config.ConfigTest.test_load)', message: 'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)' })]);
    });

    it('never attributes a failure to a file outside the output directory', () => {
      const mocha = [
        '  1 failing',
        '',
        '  1) cart',
        '       totals:',
        '     Error: boom',
        '      at total (/home/me/other-project/src/cart.js:3:9)',
        '      at Context.<anonymous> (/w-sibling/test/cart.test.js:5:3)',
        '      at Context.<anonymous> (../outside/test/cart.test.js:5:3)',
        '',
      ].join('\n');
      assert.deepEqual(parseTestOutput(mocha, '/w').failures, [failure({ runner: 'mocha', test: 'cart totals', message: 'Error: boom' })]);
      const pytest = '=========================== short test summary info ============================\nFAILED ../elsewhere/test_x.py::test_y - assert 0\n';
      assert.deepEqual(parseTestOutput(pytest, '/w').failures, [failure({ runner: 'pytest', test: '../elsewhere/test_x.py::test_y', message: 'assert 0' })]);
    });

    it('reads Windows paths, backslashes and file:// URLs', () => {
      const jest = [
        'FAIL test\\cart.test.js',
        '  ● cart › removes',
        '',
        '    no item named pen',
        '',
        '      at Cart.remove (C:\\Users\\me\\app\\src\\cart.js:12:26)',
        '      at Object.<anonymous> (C:\\Users\\me\\app\\test\\cart.test.js:19:10)',
        '      at Object.<anonymous> (file:///C:/Users/me/app/src/lib/format%20price.mjs:2:3)',
      '      at Page (C:\\Users\\me\\app\\app\\(shop)\\page.js:7:1)',
        '',
      ].join('\r\n');
      assert.deepEqual(parseTestOutput(jest, 'C:\\Users\\me\\app').failures, [
        failure({ runner: 'jest', test: 'cart › removes', file: 'test/cart.test.js', line: 19, message: 'no item named pen', related: [{ file: 'src/cart.js', line: 12 }, { file: 'src/lib/format price.mjs', line: 2 }, { file: 'app/(shop)/page.js', line: 7 }] }),
      ]);
      const unittest = [
        '======================================================================',
        'FAIL: test_count (tests.test_items.ItemsTest.test_count)',
        '----------------------------------------------------------------------',
        'Traceback (most recent call last):',
        '  File "c:\\users\\me\\app\\tests\\test_items.py", line 15, in test_count',
        '    self.assertEqual(items.count(), 1)',
        'AssertionError: 2 != 1',
      ].join('\r\n');
      assert.deepEqual(parseTestOutput(unittest, 'C:\\Users\\me\\app').failures.map((found) => [found.file, found.line]), [['tests/test_items.py', 15]]);
    });
  });

  describe('go test', () => {
    it('finds a package’s folder from a build error when the module path has no usual shape', () => {
      const output = [
        '--- FAIL: TestTotal (0.00s)',
        '    cart_test.go:9: total = 3',
        'FAIL\tcorp.internal/team/shop/cart\t0.004s',
        'FAIL\tcorp.internal/team/shop/api [build failed]',
        '# corp.internal/team/shop/api [corp.internal/team/shop/api.test]',
        'api/api_test.go:5:2: undefined: handler',
        '\thave handler()',
      ].join('\n');
      assert.deepEqual(parseTestOutput(output, '/w').failures, [
        failure({ runner: 'go', test: 'TestTotal', file: 'cart/cart_test.go', line: 9, message: 'cart_test.go:9: total = 3' }),
        failure({ runner: 'go', test: 'corp.internal/team/shop/api', file: 'api/api_test.go', line: 5, message: 'undefined: handler\n\thave handler()' }),
      ]);
    });

    it('reads the module from the usual shape of its path, and names no file for a package outside it', () => {
      const output = ['--- FAIL: TestA (0.00s)', '    a_test.go:3: no', 'FAIL\tgithub.com/me/shop/internal/cart\t0.01s', '--- FAIL: TestB (0.00s)', '    b_test.go:4: no', 'FAIL\tgithub.com/me/shop/v2/pay\t0.01s'].join('\n');
      assert.deepEqual(parseTestOutput(output, '/w').failures.map((found) => found.file), ['internal/cart/a_test.go', 'pay/b_test.go']);
      const learned = ['# example.com/shop', './main.go:3:1: undefined: x', '--- FAIL: TestC (0.00s)', '    c_test.go:1: no', 'FAIL\tother.org/lib\t0.01s'].join('\n');
      assert.deepEqual(parseTestOutput(learned, '/w').failures.map((found) => [found.test, found.file]), [['example.com/shop', 'main.go'], ['TestC', undefined]]);
    });

    it('takes `panic:` for a panic only with its goroutine trace (a test may print the word)', () => {
      const output = ['=== RUN   TestLog', 'panic: is a word the test printed', '--- PASS: TestLog (0.00s)', 'PASS', 'ok  \tshop\t0.002s'].join('\n');
      const report = parseTestOutput(output, '/w');
      assert.deepEqual([report.failures, report.passed, report.failed], [[], 1, 0]);
    });

    it('names a panic outside any test after its package, and a package that failed with nothing else to show', () => {
      const output = [
        'panic: config missing',
        '',
        'goroutine 1 [running]:',
        'example.com/shop.init.0()',
        '\t/w/config.go:7 +0x25',
        'FAIL\texample.com/shop\t0.003s',
        'FAIL\texample.com/shop/db [setup failed]',
      ].join('\n');
      assert.deepEqual(parseTestOutput(output, '/w').failures, [
        failure({ runner: 'go', test: 'example.com/shop', message: 'panic: config missing', related: [{ file: 'config.go', line: 7 }] }),
        failure({ runner: 'go', test: 'example.com/shop/db', message: 'FAIL example.com/shop/db [setup failed]' }),
      ]);
    });
  });

  it('reads a generic TAP producer’s YAML (tape: at, expected, actual)', () => {
    const output = [
      'TAP version 13',
      '# sums',
      'ok 1 should be equal',
      'not ok 2 should be deeply equal',
      '  ---',
      '    operator: deepEqual',
      '    expected: |-',
      '      [ 1, 2 ]',
      '    actual: |-',
      '      [ 2, 1 ]',
      '    at: Test.<anonymous> (/w/test/sum.js:6:5)',
      '    stack: |-',
      '      Error: should be deeply equal',
      '          at Test.assert [as _assert] (/w/node_modules/tape/lib/test.js:479:48)',
      '          at sortAll (/w/lib/sort.js:12:3)',
      '  ...',
      'not ok 3 later # TODO not done',
      '',
      '1..3',
    ].join('\n');
    const report = parseTestOutput(output, '/w');
    assert.deepEqual(report.failures, [
      failure({ runner: 'tap', test: 'should be deeply equal', file: 'test/sum.js', line: 6, message: 'expected: [ 1, 2 ]\nactual: [ 2, 1 ]', related: [{ file: 'lib/sort.js', line: 12 }] }),
    ]);
    assert.deepEqual([report.passed, report.failed, report.skipped], [1, 1, 1]);
  });

  it('reads a cargo panic in the format before Rust 1.73', () => {
    const output = [
      'running 1 test',
      'test tests::adds ... FAILED',
      '',
      'failures:',
      '',
      '---- tests::adds stdout ----',
      "thread 'tests::adds' panicked at 'assertion failed: `(left == right)`', src/lib.rs:10:9",
      '',
      'test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out',
      '     Running unittests src/lib.rs (target/debug/deps/adder-1)',
    ].join('\n');
    assert.deepEqual(parseTestOutput(output, '/w').failures, [failure({ runner: 'cargo', test: 'tests::adds', file: 'src/lib.rs', line: 10, message: 'assertion failed: `(left == right)`' })]);
  });

  it('reads ctest without --output-on-failure: the status is the message', () => {
    const output = ['1/2 Test #1: adds .....................   Passed    0.00 sec', '2/2 Test #2: parses ...................***Timeout  10.01 sec', '', '50% tests passed, 1 tests failed out of 2', '', 'The following tests FAILED:', '\t  2 - parses (Timeout)'].join('\n');
    assert.deepEqual(parseTestOutput(output, '/w').failures, [failure({ runner: 'ctest', test: 'parses', message: 'Timeout' })]);
  });

  describe('bounds', () => {
    it('keeps a message to its first 20 lines and 2,000 characters', () => {
      const lines = Array.from({ length: 300 }, (_, index) => `E       line ${index} ${'x'.repeat(40)}`);
      const output = ['=================================== FAILURES ===================================', '___ test_big ___', ...lines, 'tests/test_big.py:3: AssertionError'].join('\n');
      const [found] = parseTestOutput(output, '/w').failures;
      assert.equal(found.message.split('\n').length, 20);
      assert.ok(found.message.startsWith('line 0 '));
      const long = parseTestOutput(`--- FAIL: TestLong (0.00s)\n    long_test.go:1: ${'y'.repeat(50_000)}\nFAIL\tshop\t0.1s\n`, '/w');
      assert.equal(long.failures[0].message.length, 2000);
      assert.ok(long.failures[0].message.endsWith('…'));
    });

    it(`lists ${MAX_FAILURES} failures, then one entry counting the rest`, () => {
      const output = Array.from({ length: MAX_FAILURES + 120 }, (_, index) => `--- FAIL: Test${index} (0.00s)\n    x_test.go:${index + 1}: no`).join('\n') + '\nFAIL\tshop\t0.1s\n';
      const report = parseTestOutput(output, '/w');
      assert.equal(report.failures.length, MAX_FAILURES + 1);
      assert.equal(report.failed, MAX_FAILURES + 120);
      assert.equal(report.failures[MAX_FAILURES - 1].test, `Test${MAX_FAILURES - 1}`);
      assert.deepEqual(report.failures[MAX_FAILURES], failure({ runner: 'go', test: '(120 more failing tests)', message: `120 more failures are not listed; the first ${MAX_FAILURES} are.` }));
    });

    it('drops a failure printed twice (jest’s summary of all failing tests)', () => {
      const block = ['FAIL test/a.test.js', '  ● adds', '', '    expected 1', '', '      at Object.<anonymous> (test/a.test.js:2:3)', ''];
      const output = [...block, 'Summary of all failing tests', ...block, 'Tests:       1 failed, 1 total'].join('\n');
      assert.equal(parseTestOutput(output, '/w').failures.length, 1);
    });

    it('reads 20 MB of noise in one linear pass', function () {
      // Lines built to tempt every runner's patterns without completing them, and one very long line.
      const noise = [
        '--- FAIL: ' + 'T/'.repeat(30),
        '    x_test.go:1: ' + 'a.b:1 '.repeat(20),
        'not ok 1 - ' + '# '.repeat(20),
        '  ● ' + '(at '.repeat(20),
        ' FAIL  ' + ' > '.repeat(20),
        '      at ' + '((a:1:1'.repeat(20),
        'E       ' + ':1: '.repeat(20),
        'FAILED ' + '::'.repeat(20),
        '  File "' + '", line 1'.repeat(10),
        "thread 'x' panicked at " + 'a:1:'.repeat(20),
        '1/2 Test #1: ' + ' .'.repeat(40) + ' sec',
        'panic: ' + 'goroutine '.repeat(5),
        '  1) ' + 'title '.repeat(10),
        '\x1b[31m\x1b]8;;' + '\x1b['.repeat(10),
        '=== ' + '1 a in 1s '.repeat(45) + ' ===',
        "thread 'x' panicked at '" + "', a:1:1x".repeat(30),
        'The following tests FAILED:',
        '\t  1 - ' + ' ('.repeat(150),
        'not ok 2 - ' + ' '.repeat(3000) + 'x',
      ].join('\n');
      const flood = `${noise}\n`.repeat(Math.ceil((20 * 1024 * 1024) / noise.length)) + 'x.go:1:'.repeat(300_000) + '\n';
      const output = `${flood}--- FAIL: TestLast (0.00s)\n    last_test.go:3: boom\nFAIL\tshop\t0.1s\n`;
      assert.ok(output.length > 20 * 1024 * 1024);
      // A quadratic pass would not end within the test's time; how long a linear one takes is not asserted
      // here (timings belong to npm run bench, not to a test that a busy machine can fail).
      const report = parseTestOutput(output, '/w');
      assert.ok(report.failures.some((found) => found.test === 'TestLast' && found.file === 'last_test.go' && found.message === 'last_test.go:3: boom'));
    });
  });
});
