// Applies one file's SEARCH/REPLACE blocks, exactly and safely:
//   - in answer order, each to the file as the blocks before it left it;
//   - a SEARCH matches whole lines: exactly, else ignoring trailing whitespace and one uniform
//     indentation shift (the REPLACE is re-indented by it), else the same without blank lines the model
//     put at the SEARCH's edges; never by similarity, so no block lands in a place it was not written for;
//   - a SEARCH found in two places is refused (ambiguous), found nowhere is refused (not-found, with the
//     closest lines of the file), on a missing file is refused (missing-file);
//   - an empty SEARCH creates a missing file, or appends to an existing one (aider's convention);
//   - all or nothing: one refused block and no content is returned.
// The file keeps its BOM, its line endings and its final newline or lack of one. Pure.
import { nearMiss } from './closest-lines';
import { ambiguousMessage, missingFileMessage, notFoundMessage } from './edit-messages';
import { isBlank, joinFileText, replaceLines, splitFileText, textLines, type FileText } from './file-text';
import { indentStyle, type IndentStyle } from './indentation';
import { findExact, findLoose, withoutBlankEdges, type LineMatch } from './match-lines';
import type { EditBlock } from './parse-answer';

export type MatchKind = 'exact' | 'whitespace' | 'append' | 'create';

export interface AppliedEdit {
  block: EditBlock;
  match: MatchKind;
  /**
   * 1-based lines of the SEARCH in the file as it was before this block. An empty SEARCH matches no
   * line: an append has startLine = the old line count + 1 and endLine = the old line count; a create 1 and 0.
   */
  startLine: number;
  endLine: number;
  removed: number;
  added: number;
}

export interface EditFailure {
  block: EditBlock;
  reason: 'not-found' | 'ambiguous' | 'missing-file';
  /** For the model: what did not match, and the closest lines of the current file with line numbers. */
  message: string;
}

export type ApplyResult =
  | { ok: true; content: string; applied: AppliedEdit[] }
  /** `applied`: what would have applied; nothing was. */
  | { ok: false; failures: EditFailure[]; applied: AppliedEdit[] };

/**
 * Applies `blocks`, all for one file, to `current` (undefined: the file does not exist). The content is
 * returned only if every block applies.
 */
export function applyEdits(current: string | undefined, blocks: readonly EditBlock[]): ApplyResult {
  let file = current === undefined ? undefined : splitFileText(current);
  const applied: AppliedEdit[] = [];
  const failures: EditFailure[] = [];
  for (const block of blocks) {
    const search = textLines(block.search);
    const replace = textLines(block.replace);
    if (search.every(isBlank)) {
      if (file === undefined) {
        file = splitFileText(block.replace.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
        applied.push({ block, match: 'create', startLine: 1, endLine: 0, removed: 0, added: file.lines.length });
      } else {
        const end = file.lines.length;
        replaceLines(file, end, 0, replace);
        applied.push({ block, match: 'append', startLine: end + 1, endLine: end, removed: 0, added: replace.length });
      }
      continue;
    }
    if (file === undefined) {
      failures.push({ block, reason: 'missing-file', message: missingFileMessage(block, search) });
      continue;
    }
    const located = locate(file.lines, search, replace);
    const afterEarlierBlocks = applied.length > 0;
    if (located.matches.length === 1) {
      const [{ start, count, replacement }] = located.matches;
      replaceLines(file, start, count, replacement);
      applied.push({ block, match: located.match, startLine: start + 1, endLine: start + count, removed: count, added: replacement.length });
    } else if (located.matches.length > 1) {
      failures.push({ block, reason: 'ambiguous', message: ambiguousMessage(block, search, file.lines, located.matches, afterEarlierBlocks) });
    } else {
      failures.push({ block, reason: 'not-found', message: notFound(block, file, search, replace, afterEarlierBlocks) });
    }
  }
  if (failures.length > 0) return { ok: false, failures, applied };
  return { ok: true, content: file === undefined ? '' : joinFileText(file), applied };
}

interface Located {
  match: 'exact' | 'whitespace';
  matches: LineMatch[];
}

/** Every place the SEARCH matches at the strictest strength that finds any. */
function locate(lines: readonly string[], search: readonly string[], replace: readonly string[]): Located {
  let style: IndentStyle | undefined;
  const fileStyle = () => (style ??= indentStyle(lines));
  const exact = findExact(lines, search, replace);
  if (exact.length > 0) return { match: 'exact', matches: exact };
  const loose = findLoose(lines, search, replace, fileStyle);
  if (loose.length > 0) return { match: 'whitespace', matches: loose };
  const trimmed = withoutBlankEdges(search, replace);
  if (trimmed === undefined) return { match: 'whitespace', matches: [] };
  const trimmedExact = findExact(lines, trimmed.search, trimmed.replace);
  return { match: 'whitespace', matches: trimmedExact.length > 0 ? trimmedExact : findLoose(lines, trimmed.search, trimmed.replace, fileStyle) };
}

function notFound(block: EditBlock, file: FileText, search: readonly string[], replace: readonly string[], afterEarlierBlocks: boolean): string {
  const withoutEdges = withoutBlankEdges(search, replace)?.search ?? search;
  const replaceLinesFound = replace.some((line) => !isBlank(line)) ? findExact(file.lines, replace, replace) : [];
  const { region, missing } = nearMiss(file.lines, withoutEdges);
  return notFoundMessage(block, {
    lines: file.lines,
    search,
    region,
    missing,
    replaceFoundAt: replaceLinesFound.length === 1 ? replaceLinesFound[0] : undefined,
    afterEarlierBlocks,
  });
}
