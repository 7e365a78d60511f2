// Source text with its comments blanked (a commented-out test is a removed test) and, in a second copy,
// its string contents blanked too (so brackets and assertion calls inside strings count for nothing).
// Both copies keep every offset and newline of the original. A lexer, not a parser: it knows each
// language's comments and literals, nothing more. Pure.

export interface Syntax {
  lineComment: '//' | '#';
  blockComments: 'none' | 'flat' | 'nested';
  /** Open a string that the same character closes; a backslash escapes. */
  quotes: string;
  /** Open a string when tripled (`"""`), closed by the same three. */
  tripleQuotes: string;
  /** Open a string without escapes (Go's backquote). */
  rawQuotes: string;
  /** Quoted strings may span lines (Rust); elsewhere a newline ends a broken one. */
  multilineStrings: boolean;
  /** JavaScript: `/regex/` literals and `` `template ${…}` `` literals. */
  javascript: boolean;
  /** Rust: `r#"…"#` raw strings and `'c'` characters besides `'lifetimes`. */
  rust: boolean;
}

export interface SourceText {
  /** Comments blanked. */
  code: string;
  /** Comments and string contents blanked; the quotes stay. */
  bare: string;
}

const REGEX_BEFORE = new Set('(,=:[!&|?{};+-*%<>~^');
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);
const RUST_CHAR = /'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|.)|[^\\'\n])'/y;
const RUST_RAW_STRING = /b?r(#*)"/y;
const isWordCharacter = (character: string | undefined) => character !== undefined && /[\w$]/.test(character);

export function blankSource(text: string, syntax: Syntax): SourceText {
  const code = text.split('');
  const bare = text.split('');
  const blank = (target: string[], from: number, to: number) => {
    for (let index = from; index < to && index < text.length; index++) if (target[index] !== '\n') target[index] = ' ';
  };
  const comment = (from: number, to: number) => {
    blank(code, from, to);
    blank(bare, from, to);
  };
  /** The end of a string whose contents start at `from` and which `close` ends. */
  const stringEnd = (from: number, close: string, escapes: boolean, multiline: boolean): number => {
    let index = from;
    while (index < text.length) {
      if (escapes && text[index] === '\\') index += 2;
      else if (text.startsWith(close, index)) return index;
      else if (!multiline && text[index] === '\n') return index;
      else index++;
    }
    return text.length;
  };
  /** Blanks a string's contents in `bare`; returns the offset after it. */
  const string = (contentStart: number, close: string, escapes: boolean, multiline: boolean): number => {
    const end = stringEnd(contentStart, close, escapes, multiline);
    blank(bare, contentStart, end);
    return text.startsWith(close, end) ? end + close.length : end;
  };
  const previousSignificant = (index: number): number => {
    let before = index - 1;
    while (before >= 0 && /\s/.test(code[before])) before--;
    return before;
  };
  const regexAllowed = (index: number): boolean => {
    const before = previousSignificant(index);
    if (before < 0 || REGEX_BEFORE.has(code[before])) return true;
    if (!isWordCharacter(code[before])) return false;
    let wordStart = before;
    while (wordStart > 0 && isWordCharacter(code[wordStart - 1])) wordStart--;
    return REGEX_AFTER_WORDS.has(text.slice(wordStart, before + 1));
  };
  /** The end of a regex literal starting at `index`, or undefined when it is a division after all. */
  const regexEnd = (index: number): number | undefined => {
    let inClass = false;
    for (let at = index + 1; at < text.length; at++) {
      const character = text[at];
      if (character === '\n') return undefined;
      if (character === '\\') at++;
      else if (character === '[') inClass = true;
      else if (character === ']') inClass = false;
      else if (character === '/' && !inClass) return at + 1;
    }
    return undefined;
  };
  // JavaScript templates: the brace depths at which a `${…}` returns to its template.
  const templateStack: number[] = [];
  let braceDepth = 0;
  /** Scans template text from `from`; returns the offset after its closing backquote or after a `${`. */
  const templateText = (from: number): number => {
    let index = from;
    while (index < text.length) {
      if (text[index] === '\\') index += 2;
      else if (text[index] === '`') {
        blank(bare, from, index);
        return index + 1;
      } else if (text.startsWith('${', index)) {
        blank(bare, from, index);
        templateStack.push(braceDepth);
        braceDepth++;
        return index + 2;
      } else index++;
    }
    blank(bare, from, text.length);
    return text.length;
  };

  const rustRawString = (index: number): { contentStart: number; close: string } | undefined => {
    if (!'rb'.includes(text[index]) || isWordCharacter(text[index - 1])) return undefined;
    RUST_RAW_STRING.lastIndex = index;
    const match = RUST_RAW_STRING.exec(text);
    return match ? { contentStart: index + match[0].length, close: `"${match[1]}` } : undefined;
  };

  let raw: { contentStart: number; close: string } | undefined;
  let index = 0;
  while (index < text.length) {
    const character = text[index];
    if (text.startsWith(syntax.lineComment, index)) {
      const end = text.indexOf('\n', index);
      comment(index, end < 0 ? text.length : end);
      index = end < 0 ? text.length : end;
    } else if (syntax.blockComments !== 'none' && text.startsWith('/*', index)) {
      let depth = 1;
      let at = index + 2;
      while (at < text.length && depth > 0) {
        if (text.startsWith('*/', at)) {
          depth--;
          at += 2;
        } else if (syntax.blockComments === 'nested' && text.startsWith('/*', at)) {
          depth++;
          at += 2;
        } else at++;
      }
      comment(index, at);
      index = at;
    } else if (syntax.tripleQuotes.includes(character) && text.startsWith(character.repeat(3), index)) {
      index = string(index + 3, character.repeat(3), true, true);
    } else if (syntax.rust && (raw = rustRawString(index))) {
      index = string(raw.contentStart, raw.close, false, true);
    } else if (syntax.rust && character === "'") {
      RUST_CHAR.lastIndex = index;
      const match = RUST_CHAR.exec(text);
      // Not a character: a lifetime, which is code.
      index = match ? string(index + 1, "'", true, false) : index + 1;
    } else if (syntax.rawQuotes.includes(character)) {
      index = string(index + 1, character, false, true);
    } else if (syntax.javascript && character === '`') {
      index = templateText(index + 1);
    } else if (syntax.quotes.includes(character)) {
      index = string(index + 1, character, true, syntax.multilineStrings);
    } else if (syntax.javascript && character === '/' && regexAllowed(index) && regexEnd(index) !== undefined) {
      const end = regexEnd(index) ?? index + 1;
      blank(bare, index + 1, end - 1);
      index = end;
    } else if (syntax.javascript && character === '{') {
      braceDepth++;
      index++;
    } else if (syntax.javascript && character === '}') {
      braceDepth--;
      index++;
      if (templateStack.length > 0 && templateStack[templateStack.length - 1] === braceDepth) {
        templateStack.pop();
        index = templateText(index);
      }
    } else index++;
  }
  return { code: code.join(''), bare: bare.join('') };
}

const OPENING = '([{';
const CLOSING = ')]}';

/** The offset of the bracket closing the one at `open` in bare text; the text's end when it is not closed. */
export function matchingClose(bare: string, open: number): number {
  let depth = 0;
  for (let index = open; index < bare.length; index++) {
    if (OPENING.includes(bare[index])) depth++;
    else if (CLOSING.includes(bare[index]) && --depth === 0) return index;
  }
  return bare.length;
}

/** Where the statement holding `index` starts: after the nearest `;`, `{` or `}` outside brackets. */
export function statementStart(bare: string, index: number): number {
  let depth = 0;
  for (let at = index - 1; at >= 0; at--) {
    const character = bare[at];
    if (character === ')' || character === ']') depth++;
    else if (character === '(' || character === '[') {
      if (depth === 0) return at + 1;
      depth--;
    } else if (depth === 0 && (character === ';' || character === '{' || character === '}')) return at + 1;
  }
  return 0;
}

/** The body of a declaration at `from`: from its first `{` to the matching `}`; [from, from] when it has none before `limit`. */
export function braceBody(bare: string, from: number, limit = bare.length): { start: number; end: number } {
  const open = bare.indexOf('{', from);
  if (open < 0 || open >= limit) return { start: from, end: from };
  return { start: open, end: matchingClose(bare, open) };
}

/** Offsets of every match of `pattern` (a global regex) in `text`. */
export function offsetsOf(text: string, pattern: RegExp): number[] {
  return [...text.matchAll(pattern)].map((match) => match.index);
}
