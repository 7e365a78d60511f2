// Java: methods annotated `@Test` (and JUnit 5's parameterized, repeated and factory tests) or, JUnit 3
// style, `public void testX()`; named with their classes. `@Disabled…`/`@Ignore` skip, so do
// assumptions that fail; `assert…(`, the `assert` keyword, `fail(` and Mockito's `verify(` assert.
import type { Declared, Found } from './inventory';
import { blankSource, braceBody, offsetsOf, statementStart, type Syntax } from './source-text';

const JAVA: Syntax = { lineComment: '//', blockComments: 'flat', quotes: `"'`, tripleQuotes: '"', rawQuotes: '', multilineStrings: false, javascript: false, rust: false };
const METHOD = /\b(\w+)\s*\([^()]*\)\s*(?:throws\s+[\w.,\s]+)?\{/g;
const CLASS = /\b(?:class|interface|enum|record)\s+(\w+)/g;
const NOT_METHODS = new Set(['if', 'for', 'while', 'switch', 'catch', 'synchronized', 'try', 'do', 'else', 'return', 'new']);
const TEST_ANNOTATION = /@(?:org\.junit(?:\.jupiter\.api)?\.)?(?:Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Theory)\b/;
const SKIP_ANNOTATION = /@(?:\w+\.)*(Disabled\w*|Ignore)\b/;

export function readJava(text: string): Found {
  const { bare } = blankSource(text, JAVA);
  const declared: Declared[] = [];
  for (const match of bare.matchAll(METHOD)) {
    if (NOT_METHODS.has(match[1])) continue;
    const prefix = bare.slice(statementStart(bare, match.index), match.index);
    const junit3 = /^test/.test(match[1]) && /\bpublic\b[^]*\bvoid\s*$/.test(prefix);
    if (!TEST_ANNOTATION.test(prefix) && !junit3) continue;
    const skip = SKIP_ANNOTATION.exec(prefix)?.[1];
    declared.push({ name: match[1], kind: 'test', start: match.index, end: braceBody(bare, match.index).end, skip: skip ? `@${skip}` : undefined });
  }
  for (const match of bare.matchAll(CLASS)) {
    const skip = SKIP_ANNOTATION.exec(bare.slice(statementStart(bare, match.index), match.index))?.[1];
    declared.push({ name: match[1], kind: 'suite', start: match.index, end: braceBody(bare, match.index).end, skip: skip ? `@${skip}` : undefined });
  }
  const assertions = [...offsetsOf(bare, /\bassert(?:\w*\s*\(|\s+)/g), ...offsetsOf(bare, /\bfail\s*\(/g), ...offsetsOf(bare, /\bverify\s*\(/g)];
  const skipCalls = [...bare.matchAll(/\b(assume\w*)\s*\(/g)].map((match) => ({ offset: match.index, marker: `${match[1]}()` }));
  return { declared, assertions, skipCalls, blank: bare.trim() === '' };
}
