// A line that is only a file's name, as models write one before a block:
//   handler.go    `handler.go`    **handler.go**    ### handler.go    handler.go:    **`src/a.ts`:**
//   and any of these as a list item: - handler.go    1. **handler.go**
// The decorated forms (anything but the bare path) may also introduce a whole file in a fence; the
// bare form only names the file of the edit blocks that follow, as in aider's format. Pure.
import { looksLikePath } from '../run/file-blocks';

export interface PathLine {
  path: string;
  /** Written as a heading, in bold or backticks, or with a trailing colon. */
  decorated: boolean;
}

const HEADING = /^#{1,6}\s+/;
// A list item's marker: `- a.go`, `2. **a.go**`. It does not decorate: a bare listed path is still bare.
const LIST_ITEM = /^(?:[-*+]|\d{1,3}[.)])\s+/;
const WRAPPERS = ['**', '__', '`', '*', '_'];

/** The path a line names, if the line is a path alone. */
export function pathLine(line: string): PathLine | undefined {
  const original = line.trim().replace(LIST_ITEM, '');
  if (original === '') return undefined;
  let text = original.replace(HEADING, '');
  // Wrappers and a trailing colon nest either way round (`**a.go:**`, `**a.go**:`); a few rounds suffice.
  for (let round = 0; round < 3; round++) {
    text = text.replace(/\s*:$/, '');
    for (const wrapper of WRAPPERS) {
      if (text.length > 2 * wrapper.length && text.startsWith(wrapper) && text.endsWith(wrapper)) text = text.slice(wrapper.length, -wrapper.length).trim();
    }
  }
  const decorated = text !== original;
  // Markdown escapes underscores in names (`my\_file.py`).
  text = text.replace(/\\_/g, '_');
  return looksLikePath(text) ? { path: text, decorated } : undefined;
}
