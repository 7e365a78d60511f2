// Test files before and after a change, as a model fixing failing code might make it: what got weaker
// is reported, and changes that weaken nothing (a new test, another expected value, a rename, a
// reformat) report nothing. Go and JavaScript/TypeScript here; the other languages in
// test-weakening-languages.test.ts.
import assert from 'node:assert/strict';
import { isTestFile, testWeakenings, type Weakening } from '../../../server/src/build/test-weakening';
import { edit } from '../../helpers/edit-text';

/** `kind test` per weakening, for comparing many at once. */
const brief = (weakenings: readonly Weakening[]) => weakenings.map((weakening) => `${weakening.kind} ${weakening.test ?? '(file)'}`);

describe('test files', () => {
  it('are known by their frameworks’ names and folders', () => {
    const tests = ['greet/greet_test.go', 'src/greet.test.ts', 'src/greet.spec.jsx', 'lib/__tests__/greet.js', 'test/unit/greet.ts', 'tests/greet.mjs', 'test_greet.py', 'pkg/greet_test.py', 'tests/helpers.py', 'tests/integration.rs', 'src/GreeterTest.java', 'src/GreeterTests.java', 'app/src/test/java/Greeter.java', 'tests/greet.c', 'test/greet.cpp', 'src/greet_unittest.cc', 'C:\\project\\test\\greet.ts'];
    const others = ['greet/greet.go', 'src/greet.ts', 'src/testing.ts', 'src/contest/x.js', 'greet_tests.go', 'greet.py', 'src/testutils.py', 'src/lib.rs', 'src/Greeter.java', 'src/greet.c', 'README.md', 'test/fixture.json'];
    assert.deepEqual(tests.filter((path) => !isTestFile(path)), []);
    assert.deepEqual(others.filter((path) => isTestFile(path)), []);
    assert.equal(isTestFile('src/lib.rs', 'fn add() {}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() {}\n}\n'), true);
    assert.equal(isTestFile('src/lib.rs', 'fn add() {}\n'), false);
  });
});

const GO = `package greet

import "testing"

func TestGreeting(t *testing.T) {
	if got := Greet("Ann"); got != "Hello, Ann" {
		t.Errorf("Greet() = %q", got)
	}
}

func TestFarewell(t *testing.T) {
	got := Farewell("Ann") // t.Error( in a comment counts for nothing
	if got != "Bye, Ann" {
		t.Fatalf("Farewell() = %q, not t.Error(", got)
	}
	if len(got) == 0 {
		t.Error("empty")
	}
}

func helper(tb testing.TB) {}
`;
const GO_PATH = 'greet/greet_test.go';
const TEST_GREETING = /func TestGreeting[^]*?\n}\n\n/;

describe('weakened Go tests', () => {
  it('a removed test, a commented-out one', () => {
    assert.deepEqual(testWeakenings(GO_PATH, GO, edit(GO, TEST_GREETING, '')), [{ kind: 'test-removed', test: 'TestGreeting', message: 'TestGreeting was removed from greet/greet_test.go' }]);
    const commented = edit(GO, TEST_GREETING, (GO.match(TEST_GREETING)?.[0] ?? '').replace(/^(?=.)/gm, '// '));
    assert.deepEqual(brief(testWeakenings(GO_PATH, GO, commented)), ['test-removed TestGreeting']);
  });

  it('a skip, however it is spelled', () => {
    for (const skip of ['t.Skip("flaky")', 't.Skipf("later %d", 1)', 't.SkipNow()']) {
      const after = edit(GO, 'got := Farewell', `${skip}\n\tgot := Farewell`);
      assert.deepEqual(testWeakenings(GO_PATH, GO, after), [{ kind: 'test-skipped', test: 'TestFarewell', message: `TestFarewell is now skipped in greet/greet_test.go (t.${skip.slice(2, skip.indexOf('('))})` }]);
    }
  });

  it('assertions taken out, with the numbers', () => {
    const after = edit(GO, /\tif len\(got\)[^]*?\n\t}\n/, '');
    assert.deepEqual(testWeakenings(GO_PATH, GO, after), [{ kind: 'assertions-removed', test: 'TestFarewell', message: 'TestFarewell in greet/greet_test.go has 1 assertion, down from 2' }]);
  });

  it('the file emptied', () => {
    assert.deepEqual(testWeakenings(GO_PATH, GO, ''), [{ kind: 'file-emptied', test: undefined, message: 'greet/greet_test.go was emptied; it had 2 tests and 3 assertions' }]);
    assert.deepEqual(brief(testWeakenings(GO_PATH, GO, '// nothing to see\n')), ['file-emptied (file)']);
  });

  it('nothing for a rename, another expected value, a new test, a reformat or testify', () => {
    const fine = [
      edit(edit(GO, 'TestGreeting', 'TestGreet'), '"Hello, Ann"', '"Hi, Ann"'),
      `${GO}\nfunc TestShout(t *testing.T) {\n\tif Shout("a") != "A" {\n\t\tt.Error("not loud")\n\t}\n}\n`,
      edit(GO, /\tif len\(got\) == 0 \{\n\t\tt\.Error\("empty"\)\n\t}/, '\tif len(got) == 0 { t.Error("empty") }'),
    ];
    for (const after of fine) assert.deepEqual(testWeakenings(GO_PATH, GO, after), []);
    const testify = edit(GO, 't.Error("empty")', 'require.NotEmpty(t, got)');
    assert.deepEqual(testWeakenings(GO_PATH, GO, testify), []);
    assert.deepEqual(brief(testWeakenings(GO_PATH, testify, edit(testify, 'require.NotEmpty(t, got)', ''))), ['assertions-removed TestFarewell']);
  });
});

const JS = `import { describe, it, expect } from 'vitest';
import assert from 'node:assert/strict';

describe('greeter', () => {
  it('says hello', () => {
    expect(greet('Ann')).toBe('Hello, Ann'); // expect( in a comment counts for nothing
    expect(greet('')).toBe('Hello, you');
  });

  it("says bye", () => {
    const pattern = /it\\('hidden'/;
    assert.equal(bye('Ann'), \`Bye, \${'Ann'}\`);
  });

  describe('in French', () => {
    it('says bonjour', () => {
      assert.match(greet('Ann', 'fr'), /Bonjour/);
    });
  });

  it.each([[1, 2], [2, 3]])('counts %i up', (a, b) => {
    expect(a + 1).toBe(b);
  });
});
`;
const JS_PATH = 'src/greet.test.ts';
const SAYS_BYE = /\n {2}it\("says bye"[^]*?\n {2}\}\);\n/;

describe('weakened JavaScript and TypeScript tests', () => {
  it('a removed test, named with its groups', () => {
    assert.deepEqual(testWeakenings(JS_PATH, JS, edit(JS, SAYS_BYE, '\n')), [{ kind: 'test-removed', test: 'greeter > says bye', message: 'greeter > says bye was removed from src/greet.test.ts' }]);
    assert.deepEqual(brief(testWeakenings(JS_PATH, JS, edit(JS, /\n {2}describe\('in French'[^]*?\n {2}\}\);\n/, '\n'))), ['test-removed greeter > in French > says bonjour']);
  });

  it('a removed test in a group that was renamed too: only the removed one', () => {
    const after = edit(edit(JS, "describe('greeter'", "describe('greetings'"), SAYS_BYE, '\n');
    assert.deepEqual(brief(testWeakenings(JS_PATH, JS, after)), ['test-removed greeter > says bye']);
  });

  it('skips of every kind: .skip, x, .todo, a skipped group, this.skip(), a test focused with .only', () => {
    const cases: [string, string, string][] = [
      ["it('says hello'", "it.skip('says hello'", 'greeter > says hello is now skipped in src/greet.test.ts (it.skip)'],
      ["it('says hello'", "xit('says hello'", 'greeter > says hello is now skipped in src/greet.test.ts (xit)'],
      ["it('says hello', () => {", "it.todo('says hello', () => {", 'greeter > says hello is now skipped in src/greet.test.ts (it.todo)'],
      ["describe('in French'", "describe.skip('in French'", 'greeter > in French is now skipped in src/greet.test.ts (describe.skip), and the tests in it with it'],
      ["describe('in French'", "xdescribe('in French'", 'greeter > in French is now skipped in src/greet.test.ts (xdescribe), and the tests in it with it'],
      ["    const pattern", '    this.skip();\n    const pattern', 'greeter > says bye is now skipped in src/greet.test.ts (this.skip())'],
      ["it(\"says bye\", () => {", "it(\"says bye\", (t) => {\n    t.skip();", 'greeter > says bye is now skipped in src/greet.test.ts (t.skip())'],
      ["    const pattern", "    test.skip(process.platform === 'win32');\n    const pattern", 'greeter > says bye is now skipped in src/greet.test.ts (test.skip())'],
      ["it('says hello'", "it.only('says hello'", "greeter > says hello was marked it.only in src/greet.test.ts, so the file's other tests no longer run"],
      ["describe('in French'", "fdescribe('in French'", "greeter > in French was marked fdescribe in src/greet.test.ts, so the file's other tests no longer run"],
    ];
    for (const [find, replacement, message] of cases) assert.deepEqual(testWeakenings(JS_PATH, JS, edit(JS, find, replacement)).map((weakening) => weakening.message), [message], replacement);
  });

  it('a renamed test that is skipped now still counts as skipped', () => {
    assert.deepEqual(brief(testWeakenings(JS_PATH, JS, edit(JS, "it('says hello'", "it.skip('greets'"))), ['test-skipped greeter > greets']);
  });

  it('assertions taken out, per test, or for the file when none of its tests lost one', () => {
    assert.deepEqual(testWeakenings(JS_PATH, JS, edit(JS, "    expect(greet('')).toBe('Hello, you');\n", '')).map((weakening) => weakening.message), ['greeter > says hello in src/greet.test.ts has 1 assertion, down from 2']);
    const withHook = edit(JS, "describe('greeter', () => {\n", "describe('greeter', () => {\n  afterEach(() => expect(leaks()).toEqual([]));\n");
    assert.deepEqual(testWeakenings(JS_PATH, withHook, JS), [{ kind: 'assertions-removed', test: undefined, message: 'src/greet.test.ts has 5 assertions, down from 6' }]);
  });

  it('nothing for a new test, another expected value, a rename, a reformat, or moving a test', () => {
    const fine = [
      edit(JS, "\n});\n", "\n  it('shouts', () => {\n    expect(shout('a')).toBe('A');\n  });\n});\n"),
      edit(JS, "'Hello, Ann'", "'Hi, Ann'"),
      edit(JS, "it('says hello'", "it('greets by name'"),
      edit(JS, "    expect(greet('Ann')).toBe('Hello, Ann'); // expect( in a comment counts for nothing\n", "    expect(\n      greet('Ann'),\n    ).toBe(\n      'Hello, Ann',\n    );\n").replace(/'/g, '"'),
      edit(JS, SAYS_BYE, '\n') + JS.match(SAYS_BYE)?.[0].replace(/^\n {2}/, '\n'),
    ];
    for (const after of fine) assert.deepEqual(testWeakenings(JS_PATH, JS, after), [], after);
  });
});
