// Rust: functions under `#[test]` (or `#[tokio::test]`, `#[rstest]`, `#[test_case(…)]`), named with their
// modules; `#[ignore]` skips; `assert!`, `assert_eq!` and every other `…assert…!` macro asserts.
import type { Declared, Found } from './inventory';
import { blankSource, braceBody, offsetsOf, statementStart, type Syntax } from './source-text';

const RUST: Syntax = { lineComment: '//', blockComments: 'nested', quotes: '"', tripleQuotes: '', rawQuotes: '', multilineStrings: true, javascript: false, rust: true };
const FUNCTION = /\bfn\s+(\w+)/g;
const MODULE = /\bmod\s+(\w+)\s*\{/g;
const TEST_ATTRIBUTE = /#\[\s*(?:(?:\w+::)*test|rstest|test_case|quickcheck)\b/;
const IGNORE = /#\[\s*ignore\b/;

export function readRust(text: string): Found {
  const { bare } = blankSource(text, RUST);
  const declared: Declared[] = [];
  for (const match of bare.matchAll(FUNCTION)) {
    const attributes = bare.slice(statementStart(bare, match.index), match.index);
    if (!TEST_ATTRIBUTE.test(attributes)) continue;
    declared.push({ name: match[1], kind: 'test', start: match.index, end: braceBody(bare, match.index).end, skip: IGNORE.test(attributes) ? '#[ignore]' : undefined });
  }
  for (const match of bare.matchAll(MODULE)) declared.push({ name: match[1], kind: 'suite', start: match.index, end: braceBody(bare, match.index).end });
  return { declared, assertions: offsetsOf(bare, /\b\w*assert\w*!\s*[([{]/g), skipCalls: [], blank: bare.trim() === '' };
}
