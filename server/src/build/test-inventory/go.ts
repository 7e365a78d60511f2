// Go: `func TestX(t *testing.T)` (and fuzz tests), skipped by `t.Skip…`, asserting with `t.Error…`,
// `t.Fatal…`, `t.Fail…` and testify's `assert.`/`require.`. Table rows and subtests are not counted.
import type { Declared, Found } from './inventory';
import { blankSource, braceBody, offsetsOf, type Syntax } from './source-text';

const GO: Syntax = { lineComment: '//', blockComments: 'flat', quotes: `"'`, tripleQuotes: '', rawQuotes: '`', multilineStrings: false, javascript: false, rust: false };
const TEST = /^func\s+((?:Test|Fuzz)\w*)\s*\(\s*\w+\s+\*testing\.[TF]\s*\)/gm;
/** The names a file gives its *testing.T, *testing.B and *testing.F values, helpers and closures included. */
const RECEIVER = /\b(\w+)\s+\*testing\.[TBF]\b/g;

export function readGo(text: string): Found {
  const { bare } = blankSource(text, GO);
  const declared: Declared[] = [...bare.matchAll(TEST)].map((match) => ({ name: match[1], kind: 'test', start: match.index, end: braceBody(bare, match.index + match[0].length).end }));
  const receivers = [...new Set([...bare.matchAll(RECEIVER)].map((match) => match[1]))];
  const on = receivers.length > 0 ? `\\b(?:${receivers.join('|')})\\.` : undefined;
  const assertions = [...(on ? offsetsOf(bare, new RegExp(`${on}(?:Errorf?|Fatalf?|Fail|FailNow)\\s*\\(`, 'g')) : []), ...offsetsOf(bare, /\b(?:assert|require)\.[A-Z]\w*\s*\(/g)];
  const skipCalls = on ? [...bare.matchAll(new RegExp(`${on}(Skip(?:f|Now)?)\\s*\\(`, 'g'))].map((match) => ({ offset: match.index, marker: `t.${match[1]}` })) : [];
  return { declared, assertions, skipCalls, blank: bare.trim() === '' };
}
