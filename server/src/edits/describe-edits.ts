// One line per file for the run record and the diff view:
//   handler.go: 2 blocks (1 exact, 1 whitespace), lines 12–18 and 40, +9 −2
// Line numbers are each block's SEARCH lines in the file as the blocks before it left it. Pure.
import type { AppliedEdit, MatchKind } from './apply-edits';
import { listed } from './edit-messages';

const KINDS: readonly MatchKind[] = ['exact', 'whitespace', 'append', 'create'];

export function describeEdits(path: string, applied: readonly AppliedEdit[]): string {
  if (applied.length === 0) return `${path}: no blocks`;
  const kinds = KINDS.map((kind) => [kind, applied.filter((edit) => edit.match === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => (applied.length === 1 ? kind : `${count} ${kind}`));
  // Line ranges first, then an append's `end` and a create's `new file`.
  const ranged = applied.filter((edit) => edit.match === 'exact' || edit.match === 'whitespace');
  const places = [...ranged, ...applied.filter((edit) => !ranged.includes(edit))].map(place);
  const single = ranged.length === 1 && ranged[0].startLine === ranged[0].endLine;
  const where = ranged.length === 0 ? listed(places) : `${single ? 'line' : 'lines'} ${listed(places)}`;
  const added = applied.reduce((sum, edit) => sum + edit.added, 0);
  const removed = applied.reduce((sum, edit) => sum + edit.removed, 0);
  return `${path}: ${applied.length} ${applied.length === 1 ? 'block' : 'blocks'} (${kinds.join(', ')}), ${where}, +${added} −${removed}`;
}

function place(edit: AppliedEdit): string {
  if (edit.match === 'create') return 'new file';
  if (edit.match === 'append') return `end (after line ${edit.endLine})`;
  return edit.startLine === edit.endLine ? `${edit.startLine}` : `${edit.startLine}–${edit.endLine}`;
}
