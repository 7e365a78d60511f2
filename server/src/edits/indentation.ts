// When the SEARCH lines are found in the file but for their indentation, the file's lines must be the
// SEARCH lines moved by one uniform shift, and the REPLACE lines are moved by the same shift. Two ways
// to see the shift, tried in order:
//   a prefix    every file line's indentation is P + the SEARCH line's (after removing what all SEARCH
//               and REPLACE lines share): exact strings, so mixed tabs and spaces are kept as they are
//   columns     tabs vs spaces: indentation measured in columns, one model tab or indent level worth one
//               of the file's; the REPLACE is written in the file's style (tabs or spaces)
// Anything else (a shift that differs from line to line, a rescaled indentation) is not a match. Pure.
import { isBlank } from './file-text';

export interface IndentStyle {
  tabs: boolean;
  /** Spaces per level where the file indents with spaces. */
  unit: number;
}

export const leadingWhitespace = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';

/**
 * The REPLACE lines re-indented for the place where `found` (file lines whose text equals the SEARCH
 * lines' but for surrounding whitespace) is, or undefined when the indentation does not shift uniformly.
 */
export function reindent(found: readonly string[], search: readonly string[], replace: readonly string[], fileStyle: () => IndentStyle): string[] | undefined {
  return byPrefix(found, search, replace) ?? byColumns(found, search, replace, fileStyle());
}

function byPrefix(found: readonly string[], search: readonly string[], replace: readonly string[]): string[] | undefined {
  const common = commonPrefix([...search, ...replace].filter((line) => !isBlank(line)).map(leadingWhitespace));
  let prefix: string | undefined;
  for (let index = 0; index < search.length; index++) {
    if (isBlank(search[index])) continue;
    const fileIndent = leadingWhitespace(found[index]);
    const searchIndent = leadingWhitespace(search[index]).slice(common.length);
    if (prefix === undefined) {
      if (!fileIndent.endsWith(searchIndent)) return undefined;
      prefix = fileIndent.slice(0, fileIndent.length - searchIndent.length);
    }
    if (fileIndent !== prefix + searchIndent) return undefined;
  }
  const shift = prefix ?? '';
  return replace.map((line) => (isBlank(line) ? line : shift + line.slice(common.length)));
}

function byColumns(found: readonly string[], search: readonly string[], replace: readonly string[], fileStyle: IndentStyle): string[] | undefined {
  const modelIndents = [...search, ...replace].filter((line) => !isBlank(line)).map(leadingWhitespace);
  const modelTabs = modelIndents.some((indent) => indent.includes('\t'));
  const foundIndents = found.filter((line) => !isBlank(line)).map(leadingWhitespace);
  const tabs = foundIndents.some((indent) => indent.includes('\t')) || (foundIndents.every((indent) => indent === '') && fileStyle.tabs);
  // One tab is one indent level of whichever side indents with spaces.
  const tabWidth = tabs && !modelTabs ? indentUnit(modelIndents.map((indent) => indent.length)) : fileStyle.unit;
  let shift: number | undefined;
  for (let index = 0; index < search.length; index++) {
    if (isBlank(search[index])) continue;
    const delta = columns(leadingWhitespace(found[index]), tabWidth) - columns(leadingWhitespace(search[index]), tabWidth);
    if (shift !== undefined && delta !== shift) return undefined;
    shift = delta;
  }
  const reindented: string[] = [];
  for (const line of replace) {
    if (isBlank(line)) {
      reindented.push(line);
      continue;
    }
    const indent = leadingWhitespace(line);
    const width = columns(indent, tabWidth) + (shift ?? 0);
    if (width < 0) return undefined;
    const written = tabs ? '\t'.repeat(Math.floor(width / tabWidth)) + ' '.repeat(width % tabWidth) : ' '.repeat(width);
    reindented.push(written + line.slice(indent.length));
  }
  return reindented;
}

/** How a whole file indents: with tabs if more lines start with a tab than with a space. */
export function indentStyle(lines: readonly string[]): IndentStyle {
  let tabbed = 0;
  let spaced = 0;
  const widths: number[] = [];
  for (const line of lines) {
    if (isBlank(line)) continue;
    if (line.startsWith('\t')) tabbed++;
    else if (line.startsWith(' ')) spaced++;
    const indent = leadingWhitespace(line);
    if (!indent.includes('\t')) widths.push(indent.length);
  }
  return { tabs: tabbed > spaced, unit: indentUnit(widths) };
}

/** Spaces per indent level: the most common step (of 2 or more) between consecutive lines' widths; 4 without one. */
function indentUnit(widths: readonly number[]): number {
  const counts = new Map<number, number>();
  for (let index = 1; index < widths.length; index++) {
    const step = Math.abs(widths[index] - widths[index - 1]);
    if (step >= 2) counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let unit = 4;
  let best = 0;
  for (const [step, count] of counts) if (count > best || (count === best && step < unit)) [unit, best] = [step, count];
  return unit;
}

function columns(indent: string, tabWidth: number): number {
  let column = 0;
  for (const character of indent) column = character === '\t' ? (Math.floor(column / tabWidth) + 1) * tabWidth : column + 1;
  return column;
}

function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0];
  for (const value of values) while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
