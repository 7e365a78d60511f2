// JavaScript and TypeScript: `it`, `test` and `specify` calls named by their first argument and grouped
// by `describe`, `context` and `suite`; skipped by `.skip`, `.todo`, `.fixme`, `.failing`, an `x` prefix
// or `this.skip()`/`t.skip()` in the body; focused by `.only` or an `f` prefix. Assertions: `expect(`,
// `assert(`/`assert.…(`, chai's `.should` and AVA/tap's `t.is(` family.
import type { Declared, Found } from './inventory';
import { blankSource, matchingClose, offsetsOf, type Syntax } from './source-text';

const JAVASCRIPT: Syntax = { lineComment: '//', blockComments: 'flat', quotes: `"'`, tripleQuotes: '', rawQuotes: '', multilineStrings: false, javascript: true, rust: false };
const CALL = /(?<![\w$.])(?<!\bfunction\s+)([xf]?)(it|test|specify|describe|context|suite)((?:\s*\.\s*\w+)*)\s*(?=[(`])/g;
const SKIPPING = new Set(['skip', 'todo', 'fixme', 'failing', 'fails', 'skipIf']);
const TABLES = new Set(['each', 'for']);
const ASSERTIONS = [/(?<![\w$.])expect\s*(?:\.\s*\w+\s*)?\(/g, /(?<![\w$])assert(?:\s*\.\s*\w+)*\s*\(/g, /\.should\b/g, /(?<![\w$.])t\.(?:is|not|deepEqual|notDeepEqual|like|truthy|falsy|true|false|throws|throwsAsync|notThrows|notThrowsAsync|regex|notRegex|snapshot|equal|same|ok|match|pass|fail)\s*\(/g];
const SKIP_CALL = /(?<![\w$.])(this|t|ctx|context)\.(skip|todo)\s*\(/g;

const skipSpaces = (text: string, from: number) => {
  let at = from;
  while (/\s/.test(text[at] ?? '')) at++;
  return at;
};

/** The first argument of a call opened at `open`: a string literal's text, or the expression as written. */
function firstArgument(code: string, bare: string, open: number, close: number): { text: string; literal: boolean } {
  const start = skipSpaces(bare, open + 1);
  const quote = bare[start];
  if (quote === "'" || quote === '"' || quote === '`') {
    const end = bare.indexOf(quote, start + 1);
    return { text: code.slice(start + 1, end < 0 ? close : end), literal: true };
  }
  let depth = 0;
  let end = start;
  for (; end < close; end++) {
    if ('([{'.includes(bare[end])) depth++;
    else if (')]}'.includes(bare[end])) depth--;
    else if (bare[end] === ',' && depth === 0) break;
  }
  return { text: code.slice(start, end).replace(/\s+/g, ' ').trim(), literal: false };
}

export function readJavaScript(text: string): Found {
  const { code, bare } = blankSource(text, JAVASCRIPT);
  const declared: Declared[] = [];
  const skipCalls: Found['skipCalls'] = [];
  for (const match of bare.matchAll(CALL)) {
    const [, prefix, callee, chain] = match;
    const modifiers = chain.split('.').map((modifier) => modifier.trim()).filter(Boolean);
    let at = match.index + match[0].length;
    if (modifiers.some((modifier) => TABLES.has(modifier))) {
      at = bare[at] === '`' ? bare.indexOf('`', at + 1) + 1 : matchingClose(bare, at) + 1;
      at = skipSpaces(bare, at);
    }
    if (at <= 0 || bare[at] !== '(') continue;
    const close = matchingClose(bare, at);
    const name = firstArgument(code, bare, at, close);
    const skipModifier = modifiers.find((modifier) => SKIPPING.has(modifier));
    const skip = prefix === 'x' ? `x${callee}` : skipModifier ? `${callee}.${skipModifier}` : undefined;
    // `test.skip()` or `test.skip(condition)` inside a test skips that test (Playwright).
    if (skip && !name.literal) {
      skipCalls.push({ offset: match.index, marker: `${skip}()` });
      continue;
    }
    const only = prefix === 'f' ? `f${callee}` : modifiers.includes('only') ? `${callee}.only` : undefined;
    const kind = callee === 'describe' || callee === 'context' || callee === 'suite' ? 'suite' : 'test';
    declared.push({ name: name.text, kind, start: match.index, end: close, skip, only });
  }
  for (const match of bare.matchAll(SKIP_CALL)) skipCalls.push({ offset: match.index, marker: `${match[1]}.${match[2]}()` });
  return { declared, assertions: ASSERTIONS.flatMap((pattern) => offsetsOf(bare, pattern)), skipCalls, blank: bare.trim() === '' };
}
