import assert from 'node:assert/strict';
import { blankSource, braceBody, matchingClose, statementStart, type Syntax } from '../../../../server/src/build/test-inventory/source-text';

const base: Syntax = { lineComment: '//', blockComments: 'flat', quotes: `"'`, tripleQuotes: '', rawQuotes: '', multilineStrings: false, javascript: false, rust: false };
const javascript: Syntax = { ...base, javascript: true };
const rust: Syntax = { ...base, quotes: '"', blockComments: 'nested', multilineStrings: true, rust: true };
const python: Syntax = { ...base, lineComment: '#', blockComments: 'none', tripleQuotes: `"'` };

/** Runs of spaces as one, after checking that no offset moved. */
const squashed = (text: string, original: string) => {
  assert.equal(text.length, original.length);
  assert.equal(text.split('\n').length, original.split('\n').length);
  return text.replace(/ +/g, ' ');
};

describe('source text without comments, and without string contents', () => {
  it('blanks comments but not what only looks like one inside a string, keeping every offset', () => {
    const text = 'a("http://x"); // b(\n/* c(\n */ d(\'/*\')';
    const { code, bare } = blankSource(text, base);
    assert.equal(code, 'a("http://x");      \n     \n    d(\'/*\')');
    assert.equal(bare, 'a("        ");      \n     \n    d(\'  \')');
  });

  it('knows JavaScript regexes and templates, with code inside `${}`', () => {
    const text = 'x = /it\\("[/]/; y = `a ${f({ b: "}" })} c`; z = a / b / c // d';
    const { code, bare } = blankSource(text, javascript);
    assert.equal(squashed(bare, text), 'x = / /; y = ` ${f({ b: " " })} `; z = a / b / c ');
    assert.equal(squashed(code, text), 'x = /it\\("[/]/; y = `a ${f({ b: "}" })} c`; z = a / b / c ');
  });

  it('knows Rust raw strings, characters, lifetimes and nested comments', () => {
    const text = 'fn f<\'a>(x: &\'a str) { let s = r#"a "// b"#; let c = \'"\'; /* x /* y */ z */ g("multi\nline") }';
    assert.equal(squashed(blankSource(text, rust).bare, text), 'fn f<\'a>(x: &\'a str) { let s = r#" "#; let c = \' \'; g(" \n ") }');
  });

  it('knows Python triple-quoted strings and # comments', () => {
    const text = 'def test_x():\n    """doc # not a comment\n    assert 1"""\n    assert x  # why\n';
    assert.equal(squashed(blankSource(text, python).bare, text), 'def test_x():\n """ \n """\n assert x \n');
  });

  it('matches brackets, finds bodies and statement starts', () => {
    const bare = 'a; #[test] #[x(y)] fn f() { if (b) { c() } } g';
    assert.equal(matchingClose(bare, bare.indexOf('{')), bare.lastIndexOf('}'));
    assert.deepEqual(braceBody(bare, bare.indexOf('fn')), { start: bare.indexOf('{'), end: bare.lastIndexOf('}') });
    assert.deepEqual(braceBody('f(); g', 0), { start: 0, end: 0 });
    assert.equal(bare.slice(statementStart(bare, bare.indexOf('fn'))), ' #[test] #[x(y)] fn f() { if (b) { c() } } g');
    assert.equal(matchingClose('(never closed', 0), '(never closed'.length);
  });
});
