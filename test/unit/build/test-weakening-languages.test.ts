// Weakened tests in Python, Rust, Java and C/C++, and changes to them that weaken nothing.
import assert from 'node:assert/strict';
import { testWeakenings, type Weakening } from '../../../server/src/build/test-weakening';
import { edit } from '../../helpers/edit-text';

const brief = (weakenings: readonly Weakening[]) => weakenings.map((weakening) => `${weakening.kind} ${weakening.test ?? '(file)'}`);

const PYTHON = `import unittest
import pytest

from greet import greet, farewell


def test_greets():
    assert greet("Ann") == "Hello, Ann"  # assert in a comment counts for nothing
    assert greet("") == "Hello, you"


@pytest.mark.parametrize("name", ["Ann", "Bob"])
def test_farewell(name):
    """assert farewell(name) in a docstring counts for nothing"""
    assert farewell(name).startswith("Bye")


class TestShouting(unittest.TestCase):
    def test_shouts(self):
        self.assertEqual(greet("ann", loud=True), "HELLO, ANN")

    def test_whispers(self):
        with pytest.raises(ValueError):
            greet("ann", loud=-1)
`;
const PYTHON_PATH = 'tests/test_greet.py';

describe('weakened Python tests', () => {
  it('a removed function or method, named with its class', () => {
    assert.deepEqual(testWeakenings(PYTHON_PATH, PYTHON, edit(PYTHON, /\n\n@pytest\.mark\.parametrize[^]*?startswith\("Bye"\)\n/, '\n')), [{ kind: 'test-removed', test: 'test_farewell', message: 'test_farewell was removed from tests/test_greet.py' }]);
    assert.deepEqual(brief(testWeakenings(PYTHON_PATH, PYTHON, edit(PYTHON, /\n {4}def test_whispers[^]*$/, '\n'))), ['test-removed TestShouting.test_whispers']);
  });

  it('skips by decorator, in the body, for a class or for the whole file', () => {
    const cases: [string, string, string][] = [
      ['def test_greets', '@pytest.mark.skip(reason="flaky")\ndef test_greets', 'test_greets is now skipped in tests/test_greet.py (@pytest.mark.skip)'],
      ['def test_greets', '@pytest.mark.skipif(\n    sys.platform == "win32",\n    reason="no",\n)\ndef test_greets', 'test_greets is now skipped in tests/test_greet.py (@pytest.mark.skipif)'],
      ['def test_greets', '@pytest.mark.xfail\ndef test_greets', 'test_greets is now skipped in tests/test_greet.py (@pytest.mark.xfail)'],
      ['    def test_shouts', '    @unittest.skip("later")\n    def test_shouts', 'TestShouting.test_shouts is now skipped in tests/test_greet.py (@unittest.skip)'],
      ['        self.assertEqual', '        self.skipTest("later")\n        self.assertEqual', 'TestShouting.test_shouts is now skipped in tests/test_greet.py (self.skipTest())'],
      ['    assert greet("Ann")', '    pytest.skip("later")\n    assert greet("Ann")', 'test_greets is now skipped in tests/test_greet.py (pytest.skip())'],
      ['class TestShouting', '@unittest.skipIf(True, "later")\nclass TestShouting', 'TestShouting is now skipped in tests/test_greet.py (@unittest.skipIf), and the tests in it with it'],
      ['from greet import', 'pytestmark = pytest.mark.skip("later")\n\nfrom greet import', 'every test in tests/test_greet.py is now skipped (pytestmark)'],
    ];
    for (const [find, replacement, message] of cases) assert.deepEqual(testWeakenings(PYTHON_PATH, PYTHON, edit(PYTHON, find, replacement)).map((weakening) => weakening.message), [message], replacement);
  });

  it('assertions taken out, with the numbers', () => {
    assert.deepEqual(testWeakenings(PYTHON_PATH, PYTHON, edit(PYTHON, '    assert greet("") == "Hello, you"\n', '')), [{ kind: 'assertions-removed', test: 'test_greets', message: 'test_greets in tests/test_greet.py has 1 assertion, down from 2' }]);
    assert.deepEqual(brief(testWeakenings(PYTHON_PATH, PYTHON, edit(PYTHON, /with pytest\.raises\(ValueError\):\n\s+greet/, 'greet'))), ['assertions-removed TestShouting.test_whispers']);
  });

  it('a block goes on through strings and brackets continued at column 0', () => {
    const before = 'class TestTrace(unittest.TestCase):\n    def test_trace(self):\n        self.assertRegex(trace(), r"""\nTraceback:\n  File x\n""")\n\n    def test_tail(self):\n        assert tail()\n';
    assert.deepEqual(brief(testWeakenings(PYTHON_PATH, before, edit(before, '\n    def test_tail(self):\n        assert tail()\n', ''))), ['test-removed TestTrace.test_tail']);
    assert.deepEqual(brief(testWeakenings(PYTHON_PATH, before, edit(before, 'self.assertRegex(trace(), r', 'print(trace(), r'))), ['assertions-removed TestTrace.test_trace']);
  });

  it('nothing for a new test, another expected value, a rename or a reformat', () => {
    const fine = [
      `${PYTHON}\n\ndef test_shout():\n    assert greet("a", loud=True) == "HELLO, A"\n`,
      edit(PYTHON, '"Hello, Ann"', '"Hi, Ann"'),
      edit(PYTHON, 'def test_greets', 'def test_greets_by_name'),
      edit(PYTHON, '        self.assertEqual(greet("ann", loud=True), "HELLO, ANN")', '        self.assertEqual(\n            greet("ann", loud=True),\n            "HELLO, ANN",\n        )'),
    ];
    for (const after of fine) assert.deepEqual(testWeakenings(PYTHON_PATH, PYTHON, after), [], after);
  });
});

const RUST = `pub fn add<'a>(a: &'a i32, b: i32) -> i32 {
    a + b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds() {
        assert_eq!(add(&1, 2), 3);
        assert!(add(&0, 0) == 0, "zero is {}", r#"not "// assert!(" here"#);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn adds_later() {
        assert_ne!(add(&1, 1), 3);
    }

    fn helper() -> char {
        '{'
    }
}
`;
const RUST_PATH = 'src/lib.rs';

describe('weakened Rust tests', () => {
  it('a removed test, named with its module', () => {
    assert.deepEqual(testWeakenings(RUST_PATH, RUST, edit(RUST, /\n {4}#\[tokio::test[^]*?\n {4}\}\n/, '')), [{ kind: 'test-removed', test: 'tests::adds_later', message: 'tests::adds_later was removed from src/lib.rs' }]);
  });

  it('#[ignore], and assertions taken out', () => {
    assert.deepEqual(testWeakenings(RUST_PATH, RUST, edit(RUST, '    #[test]\n', '    #[test]\n    #[ignore = "flaky"]\n')).map((weakening) => weakening.message), ['tests::adds is now skipped in src/lib.rs (#[ignore])']);
    assert.deepEqual(testWeakenings(RUST_PATH, RUST, edit(RUST, '        assert_eq!(add(&1, 2), 3);\n', '')).map((weakening) => weakening.message), ['tests::adds in src/lib.rs has 1 assertion, down from 2']);
  });

  it('nothing for another expected value, a rename, a new test or a reformat', () => {
    const fine = [
      edit(RUST, 'assert_eq!(add(&1, 2), 3)', 'assert_eq!(add(&1, 2), 4)'),
      edit(RUST, 'fn adds()', 'fn adds_two()'),
      edit(RUST, '    fn helper', '    #[test]\n    fn adds_zero() {\n        assert_eq!(add(&0, 0), 0);\n    }\n\n    fn helper'),
      edit(RUST, '        assert_eq!(add(&1, 2), 3);', '        assert_eq!(\n            add(&1, 2),\n            3\n        );'),
    ];
    for (const after of fine) assert.deepEqual(testWeakenings(RUST_PATH, RUST, after), [], after);
  });
});

const JAVA = `package greet;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GreeterTest {
    @Test
    void greets() {
        assertEquals("Hello, Ann", Greeter.greet("Ann"));
        assertNotNull(Greeter.greet(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ann", "Bob"})
    void saysBye(String name) throws Exception {
        if (name.isEmpty()) {
            fail("no name");
        }
        assertTrue(Greeter.bye(name).startsWith("Bye"));
    }

    private static String helper() {
        return "// @Test void fake() {}";
    }
}
`;
const JAVA_PATH = 'src/test/java/greet/GreeterTest.java';

describe('weakened Java tests', () => {
  it('a removed test, @Disabled and @Ignore, assertions taken out', () => {
    assert.deepEqual(brief(testWeakenings(JAVA_PATH, JAVA, edit(JAVA, /\n {4}@Test\n[^]*?\n {4}\}\n/, '\n'))), ['test-removed GreeterTest.greets']);
    assert.deepEqual(testWeakenings(JAVA_PATH, JAVA, edit(JAVA, '    @ParameterizedTest\n', '    @ParameterizedTest\n    @Disabled("flaky")\n')).map((weakening) => weakening.message), ['GreeterTest.saysBye is now skipped in src/test/java/greet/GreeterTest.java (@Disabled)']);
    assert.deepEqual(brief(testWeakenings(JAVA_PATH, JAVA, edit(JAVA, '    @Test\n', '    @Ignore @Test\n'))), ['test-skipped GreeterTest.greets']);
    assert.deepEqual(brief(testWeakenings(JAVA_PATH, JAVA, edit(JAVA, 'class GreeterTest', '@Disabled\nclass GreeterTest'))), ['test-skipped GreeterTest']);
    assert.deepEqual(testWeakenings(JAVA_PATH, JAVA, edit(JAVA, '        assertNotNull(Greeter.greet(""));\n', '')).map((weakening) => weakening.message), ['GreeterTest.greets in src/test/java/greet/GreeterTest.java has 1 assertion, down from 2']);
  });

  it('JUnit 3 names its tests test…', () => {
    const junit3 = 'public class GreeterTest extends TestCase {\n    public void testGreets() {\n        assertEquals("Hello", Greeter.greet());\n    }\n    public void testBye() {}\n}\n';
    assert.deepEqual(brief(testWeakenings('GreeterTest.java', junit3, edit(junit3, '    public void testBye() {}\n', ''))), ['test-removed GreeterTest.testBye']);
  });

  it('nothing for another expected value, a rename, a new test or a reformat', () => {
    const fine = [
      edit(JAVA, '"Hello, Ann"', '"Hi, Ann"'),
      edit(JAVA, 'void greets()', 'void greetsByName()'),
      edit(JAVA, '    private static', '    @Test\n    void shouts() {\n        assertEquals("A", Greeter.shout("a"));\n    }\n\n    private static'),
      edit(JAVA, '    @Test\n    void greets() {', '    @Test void greets()\n    {'),
    ];
    for (const after of fine) assert.deepEqual(testWeakenings(JAVA_PATH, JAVA, after), [], after);
  });
});

const GTEST = `#include <gtest/gtest.h>
#include "greet.h"

TEST(Greet, SaysHello) {
  EXPECT_EQ(greet("Ann"), "Hello, Ann");
  ASSERT_FALSE(greet("").empty());
}

TEST_F(GreetFixture, SaysBye) {
  EXPECT_EQ(bye("Ann"), "Bye, Ann");  // EXPECT_EQ( in a comment counts for nothing
}
`;
const CATCH = `#include <catch2/catch_test_macros.hpp>

TEST_CASE("greets by name", "[greet]") {
    REQUIRE(greet("Ann") == "Hello, Ann");
    CHECK(greet("") == "Hello, you");
}
`;

describe('weakened C and C++ tests', () => {
  it('GoogleTest: a removed test, DISABLED_, GTEST_SKIP(), assertions taken out', () => {
    assert.deepEqual(brief(testWeakenings('test/greet_test.cc', GTEST, edit(GTEST, /\nTEST_F[^]*$/, '\n'))), ['test-removed GreetFixture.SaysBye']);
    assert.deepEqual(testWeakenings('test/greet_test.cc', GTEST, edit(GTEST, 'TEST(Greet, SaysHello)', 'TEST(Greet, DISABLED_SaysHello)')).map((weakening) => weakening.message), ['Greet.SaysHello is now skipped in test/greet_test.cc (DISABLED_)']);
    assert.deepEqual(brief(testWeakenings('test/greet_test.cc', GTEST, edit(GTEST, '  EXPECT_EQ(bye', '  GTEST_SKIP();\n  EXPECT_EQ(bye'))), ['test-skipped GreetFixture.SaysBye']);
    assert.deepEqual(testWeakenings('test/greet_test.cc', GTEST, edit(GTEST, '  ASSERT_FALSE(greet("").empty());\n', '')).map((weakening) => weakening.message), ['Greet.SaysHello in test/greet_test.cc has 1 assertion, down from 2']);
  });

  it('Catch2: a hidden tag, assertions taken out; nothing for another expected value', () => {
    assert.deepEqual(brief(testWeakenings('tests/greet.cpp', CATCH, edit(CATCH, '"[greet]"', '"[greet][.]"'))), ['test-skipped greets by name']);
    assert.deepEqual(brief(testWeakenings('tests/greet.cpp', CATCH, edit(CATCH, '    CHECK(greet("") == "Hello, you");\n', ''))), ['assertions-removed greets by name']);
    assert.deepEqual(testWeakenings('tests/greet.cpp', CATCH, edit(CATCH, '"Hello, Ann"', '"Hi, Ann"')), []);
  });

  it('plain C test functions', () => {
    const unity = 'void test_greets(void) {\n    TEST_ASSERT_EQUAL_STRING("Hello", greet());\n}\n\nvoid test_byes(void) {\n    TEST_ASSERT_NOT_NULL(bye());\n}\n';
    assert.deepEqual(brief(testWeakenings('tests/test_greet.c', unity, edit(unity, /\nvoid test_byes[^]*$/, '\n'))), ['test-removed test_byes']);
    assert.deepEqual(brief(testWeakenings('tests/test_greet.c', unity, edit(unity, '    TEST_ASSERT_NOT_NULL', '    TEST_IGNORE();\n    TEST_ASSERT_NOT_NULL'))), ['test-skipped test_byes']);
  });
});

describe('files no reader knows', () => {
  it('report nothing', () => {
    assert.deepEqual(testWeakenings('spec/greet_spec.rb', 'it "greets" do\n  expect(1).to eq 1\nend\n', ''), []);
  });
});
