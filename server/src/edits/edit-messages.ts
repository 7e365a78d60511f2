// What the model reads when a block cannot be applied: which block, why, and the file's current lines
// with their numbers, so that its next SEARCH can be copied from them. Pure.
import type { EditBlock } from './parse-answer';
import type { Region } from './closest-lines';

const CONTEXT = 2;
const MOST_LINES_SHOWN = 40;
const MOST_PLACES_SHOWN = 3;

/** Lines `start` to `end` (0-based, end exclusive) numbered from 1, at most MOST_LINES_SHOWN of them. */
export function numberedLines(lines: readonly string[], start: number, end: number): string {
  const last = Math.min(end, start + MOST_LINES_SHOWN);
  const width = String(last).length;
  const shown = lines.slice(start, last).map((line, offset) => `${String(start + offset + 1).padStart(width)} | ${line}`);
  if (last < end) shown.push(`${' '.repeat(width)} | … (${end - last} more lines)`);
  return shown.join('\n');
}

/** `lines 12–14`, `line 7`: a 0-based region as 1-based line numbers. */
export function lineRange(start: number, count: number): string {
  return count <= 1 ? `line ${start + 1}` : `lines ${start + 1}–${start + count}`;
}

export function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function blockName(block: EditBlock, search: readonly string[]): string {
  const first = search.find((line) => line.trim() !== '')?.trim() ?? '';
  const quoted = first.length > 60 ? `${first.slice(0, 57)}…` : first;
  return `The SEARCH block at line ${block.line} of your answer (starting \`${quoted}\`)`;
}

function withContext(lines: readonly string[], start: number, count: number): string {
  return numberedLines(lines, Math.max(0, start - CONTEXT), Math.min(lines.length, start + count + CONTEXT));
}

export interface NotFoundContext {
  lines: readonly string[];
  search: readonly string[];
  region: Region | undefined;
  /** SEARCH lines found nowhere in the file. */
  missing: readonly string[];
  /** Where the REPLACE lines already are, if they are. */
  replaceFoundAt: Region | undefined;
  /** Earlier blocks of this answer changed the file first. */
  afterEarlierBlocks: boolean;
}

export function notFoundMessage(block: EditBlock, context: NotFoundContext): string {
  const { lines, region } = context;
  const now = context.afterEarlierBlocks ? ' (as it is after your earlier blocks for it)' : '';
  const parts = [`${blockName(block, context.search)} matches nothing in ${block.path}.`];
  if (context.missing.length > 0) {
    const shown = context.missing.slice(0, 5).map((line) => `  ${line.trim()}`);
    parts.push(`These SEARCH lines are not in ${block.path} at all:\n${shown.join('\n')}${context.missing.length > 5 ? `\n  … and ${context.missing.length - 5} more` : ''}`);
  }
  if (lines.length === 0) parts.push(`${block.path} is empty${now}.`);
  else if (region) parts.push(`The closest lines of ${block.path}${now} are ${lineRange(region.start, region.count)}:\n${withContext(lines, region.start, region.count)}`);
  else parts.push(`No line of it is in ${block.path}${now}, which has ${lines.length} lines.`);
  if (context.replaceFoundAt) parts.push(`Its REPLACE lines are already in ${block.path} at ${lineRange(context.replaceFoundAt.start, context.replaceFoundAt.count)}: was this change made already?`);
  parts.push('Copy the SEARCH lines exactly from the file as it is now, with their indentation, comments and blank lines.');
  return parts.join('\n\n');
}

export function ambiguousMessage(block: EditBlock, search: readonly string[], lines: readonly string[], places: readonly Region[], afterEarlierBlocks: boolean): string {
  const now = afterEarlierBlocks ? ' (as it is after your earlier blocks for it)' : '';
  const ranges = listed(places.map((place) => lineRange(place.start, place.count).replace(/^lines? /, '')));
  const shown = places.slice(0, MOST_PLACES_SHOWN).map((place) => withContext(lines, place.start, place.count));
  const more = places.length > MOST_PLACES_SHOWN ? `\n(and ${places.length - MOST_PLACES_SHOWN} more places)` : '';
  return [
    `${blockName(block, search)} matches ${places.length} places in ${block.path}${now}: lines ${ranges}.`,
    `${shown.join('\n---\n')}${more}`,
    'Add unchanged lines from just before or after the place you mean to both SEARCH and REPLACE, so that the SEARCH matches one place only.',
  ].join('\n\n');
}

export function missingFileMessage(block: EditBlock, search: readonly string[]): string {
  return `${blockName(block, search)} is for ${block.path}, which does not exist, so it matches nothing. To create ${block.path}, leave the SEARCH part empty and put the whole file in the REPLACE part.`;
}
