// Python: `def test_…` functions and methods, named with their classes; skipped by `@pytest.mark.skip`,
// `skipif`, `xfail`, `@unittest.skip…`, `@expectedFailure`, `self.skipTest()` or `pytest.skip()`, and for
// the whole file by `pytestmark = …skip…` or a module-level `pytest.skip()`. Assertions: `assert`
// statements, `self.assert…(`, mocks' `.assert_…(`, `pytest.raises(` and `self.fail(`.
import type { Declared, Found } from './inventory';
import { blankSource, offsetsOf, type Syntax } from './source-text';

const PYTHON: Syntax = { lineComment: '#', blockComments: 'none', quotes: `"'`, tripleQuotes: `"'`, rawQuotes: '', multilineStrings: false, javascript: false, rust: false };
const DEFINITION = /^([ \t]*)(?:async[ \t]+)?(def|class)[ \t]+(\w+)/;
const SKIP_DECORATOR = /@\s*((?:(?:pytest\s*\.\s*)?mark\s*\.\s*)?(?:skip|skipif|xfail)\b|(?:unittest\s*\.\s*)?(?:skip|skipIf|skipUnless|expectedFailure)\b)/;
const ASSERTIONS = [/^[ \t]*assert\b/gm, /(?:;|:)[ \t]*assert\b/g, /\.assert[A-Z_]\w*\s*\(/g, /\bpytest\s*\.\s*raises\s*\(/g, /\bself\s*\.\s*fail\s*\(/g];
const SKIP_CALLS = /\b(self\s*\.\s*skipTest|pytest\s*\.\s*skip)\s*\(|^pytestmark\b[^\n]*\bskip/gm;

const indentOf = (line: string) => /^[ \t]*/.exec(line)?.[0].replace(/\t/g, '        ').length ?? 0;

/** Per line, whether it starts inside brackets or a string: a continuation, whatever its indentation. */
function continuations(bare: string): boolean[] {
  // String contents are blank in bare text, so every quote left is a delimiter.
  const starts = [false];
  let depth = 0;
  let quote = '';
  for (let index = 0; index < bare.length; index++) {
    const character = bare[index];
    if (character === '\n') starts.push(depth > 0 || quote !== '');
    else if (quote) {
      if (bare.startsWith(quote, index)) {
        index += quote.length - 1;
        quote = '';
      }
    } else if (character === '"' || character === "'") {
      quote = bare.startsWith(character.repeat(3), index) ? character.repeat(3) : character;
      index += quote.length - 1;
    } else if ('([{'.includes(character)) depth++;
    else if (')]}'.includes(character)) depth = Math.max(0, depth - 1);
  }
  return starts;
}

export function readPython(text: string): Found {
  const { bare } = blankSource(text, PYTHON);
  const lines = bare.split('\n');
  const continued = continuations(bare);
  const offsets: number[] = [];
  lines.reduce((offset, line) => (offsets.push(offset), offset + line.length + 1), 0);
  /** The offset of the end of the block opened at line `index`: its last line more indented than it. */
  const blockEnd = (index: number): number => {
    const indent = indentOf(lines[index]);
    let last = index;
    for (let next = index + 1; next < lines.length; next++) {
      if (lines[next].trim() === '') continue;
      if (!continued[next] && indentOf(lines[next]) <= indent) break;
      last = next;
    }
    return offsets[last] + lines[last].length;
  };
  const declared: Declared[] = [];
  let decorators = '';
  for (const [index, line] of lines.entries()) {
    // A decorator runs on until its brackets close.
    if (/^[ \t]*@/.test(line) || (continued[index] && decorators !== '')) {
      decorators += `${line}\n`;
      continue;
    }
    const definition = continued[index] ? null : DEFINITION.exec(line);
    if (definition && (definition[2] === 'class' || definition[3].startsWith('test'))) {
      const skip = SKIP_DECORATOR.exec(decorators)?.[1].replace(/\s+/g, '');
      declared.push({ name: definition[3], kind: definition[2] === 'class' ? 'suite' : 'test', start: offsets[index] + definition[1].length, end: blockEnd(index), skip: skip ? `@${skip}` : undefined });
    }
    if (line.trim() !== '') decorators = '';
  }
  const skipCalls = [...bare.matchAll(SKIP_CALLS)].map((match) => ({ offset: match.index, marker: match[1] ? `${match[1].replace(/\s+/g, '')}()` : 'pytestmark' }));
  return { declared, assertions: ASSERTIONS.flatMap((pattern) => offsetsOf(bare, pattern)), skipCalls, blank: bare.trim() === '' };
}
