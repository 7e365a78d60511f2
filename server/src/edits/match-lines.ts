// Where a SEARCH's lines are in a file: every place, so that a SEARCH found twice is refused rather
// than applied to the first. Two strengths, each a whole-line comparison:
//   exact        the lines are equal
//   whitespace   equal but for trailing whitespace and a uniform indentation shift (indentation.ts);
//                the REPLACE lines come back re-indented for each place
// Both compare one anchor line first, so a search costs one string comparison per file line. Pure.
import { isBlank } from './file-text';
import { reindent, type IndentStyle } from './indentation';

export interface LineMatch {
  /** 0-based index of the first file line matched. */
  start: number;
  count: number;
  /** The lines that replace them. */
  replacement: readonly string[];
}

export function findExact(lines: readonly string[], search: readonly string[], replace: readonly string[]): LineMatch[] {
  const matches: LineMatch[] = [];
  const first = search[0];
  for (let start = 0; start + search.length <= lines.length; start++) {
    if (lines[start] !== first) continue;
    let offset = 1;
    while (offset < search.length && lines[start + offset] === search[offset]) offset++;
    if (offset === search.length) matches.push({ start, count: search.length, replacement: replace });
  }
  return matches;
}

export function findLoose(lines: readonly string[], search: readonly string[], replace: readonly string[], fileStyle: () => IndentStyle): LineMatch[] {
  const wanted = search.map((line) => line.trim());
  const anchor = wanted.findIndex((text) => text !== '');
  if (anchor === -1) return [];
  const matches: LineMatch[] = [];
  for (let start = 0; start + search.length <= lines.length; start++) {
    if (lines[start + anchor].trim() !== wanted[anchor]) continue;
    let offset = 0;
    while (offset < search.length && (offset === anchor || lines[start + offset].trim() === wanted[offset])) offset++;
    if (offset < search.length) continue;
    const found = lines.slice(start, start + search.length);
    const replacement = reindent(found, search, replace, fileStyle);
    if (replacement) matches.push({ start, count: search.length, replacement });
  }
  return matches;
}

/**
 * The SEARCH and REPLACE without the blank lines a model put at the SEARCH's edges and the file does
 * not have there; the REPLACE loses as many at the same edge, if it has them. Undefined if no edge is blank.
 */
export function withoutBlankEdges(search: readonly string[], replace: readonly string[]): { search: string[]; replace: string[] } | undefined {
  const leading = (lines: readonly string[]) => {
    let count = 0;
    while (count < lines.length && isBlank(lines[count])) count++;
    return count;
  };
  const trailing = (lines: readonly string[]) => leading([...lines].reverse());
  const head = leading(search);
  const tail = trailing(search);
  if ((head === 0 && tail === 0) || head === search.length) return undefined;
  const replaceHead = Math.min(head, leading(replace));
  const replaceTail = Math.min(tail, trailing(replace.slice(replaceHead)));
  return { search: search.slice(head, search.length - tail), replace: replace.slice(replaceHead, replace.length - replaceTail) };
}
