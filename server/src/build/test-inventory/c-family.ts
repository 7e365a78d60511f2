// C and C++: GoogleTest's `TEST(Suite, Name)` family (a `DISABLED_` prefix skips), Catch2 and doctest
// `TEST_CASE("name", "[tags]")` (hidden `[.]` and `[!mayfail]` tags or `doctest::skip` skip) and plain
// `void test_x(…)` functions (Unity, cmocka). `GTEST_SKIP()`, `SKIP(`, `TEST_IGNORE()` and `skip()` skip
// from the body. Assertions: `EXPECT_…`/`ASSERT_…`, `REQUIRE…`/`CHECK…`, `TEST_ASSERT…`, `CU_ASSERT…`,
// `ck_assert…`, `assert(` and cmocka's `assert_…(`.
import type { Declared, Found } from './inventory';
import { blankSource, braceBody, matchingClose, offsetsOf, type Syntax } from './source-text';

const C_FAMILY: Syntax = { lineComment: '//', blockComments: 'flat', quotes: `"'`, tripleQuotes: '', rawQuotes: '', multilineStrings: false, javascript: false, rust: false };
const GTEST = /\b(?:TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)/g;
const CATCH = /\b(?:TEST_CASE|SCENARIO|TEST_CASE_METHOD\s*\(\s*\w+\s*,)\s*\(?\s*"((?:\\.|[^"\\\n])*)"/g;
const FUNCTION = /\bvoid\s+(test\w*)\s*\([^()]*\)\s*\{/gi;
const HIDDEN_TAGS = /\[\.|\[!mayfail\]|\[!shouldfail\]|\[hide\]|doctest::skip/;
const ASSERTIONS = /\b(?:(?:EXPECT|ASSERT)_\w+|(?:REQUIRE|CHECK)(?:_\w+)?|TEST_ASSERT\w*|CU_ASSERT\w*|ck_assert\w*|assert(?:_\w+)?)\s*\(/g;
const SKIP_CALLS = /\b(GTEST_SKIP|SKIP|TEST_IGNORE\w*|skip)\s*\(/g;

const undisabled = (name: string) => name.replace(/^DISABLED_/, '');

export function readCFamily(text: string): Found {
  const { code, bare } = blankSource(text, C_FAMILY);
  const declared: Declared[] = [];
  for (const match of bare.matchAll(GTEST)) {
    const disabled = match[1].startsWith('DISABLED_') || match[2].startsWith('DISABLED_');
    // The prefix is how GoogleTest skips: the test keeps its identity without it.
    declared.push({ name: `${undisabled(match[1])}.${undisabled(match[2])}`, kind: 'test', start: match.index, end: braceBody(bare, match.index + match[0].length).end, skip: disabled ? 'DISABLED_' : undefined });
  }
  for (const match of code.matchAll(CATCH)) {
    const open = bare.indexOf('(', match.index);
    const argumentsText = code.slice(open, matchingClose(bare, open));
    declared.push({ name: match[1], kind: 'test', start: match.index, end: braceBody(bare, match.index + match[0].length).end, skip: HIDDEN_TAGS.test(argumentsText) ? 'hidden tag' : undefined });
  }
  for (const match of bare.matchAll(FUNCTION)) declared.push({ name: match[1], kind: 'test', start: match.index, end: braceBody(bare, match.index).end });
  const skipCalls = [...bare.matchAll(SKIP_CALLS)].map((match) => ({ offset: match.index, marker: `${match[1]}()` }));
  return { declared, assertions: offsetsOf(bare, ASSERTIONS), skipCalls, blank: bare.trim() === '' };
}
