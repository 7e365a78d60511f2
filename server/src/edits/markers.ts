// The marker lines of a SEARCH/REPLACE block, in aider's and Cline's spellings:
//   <<<<<<< SEARCH   or  ------- SEARCH
//   =======
//   >>>>>>> REPLACE  or  +++++++ REPLACE
// Models miscount the marker characters and leave spaces around them, so 5–9 characters and
// surrounding whitespace are accepted. Pure.

export type EditFormat = 'aider' | 'cline';

export type EditMarker = { kind: 'search'; format: EditFormat } | { kind: 'divider' } | { kind: 'replace' };

const SEARCH_HEAD = /^\s*(<{5,9}|-{5,9})\s*SEARCH\s*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const REPLACE_END = /^\s*(?:>{5,9}|\+{5,9})\s*REPLACE\s*$/;

/** The marker a line is, if it is one. */
export function editMarker(line: string): EditMarker | undefined {
  const search = SEARCH_HEAD.exec(line);
  if (search) return { kind: 'search', format: search[1][0] === '<' ? 'aider' : 'cline' };
  if (DIVIDER.test(line)) return { kind: 'divider' };
  if (REPLACE_END.test(line)) return { kind: 'replace' };
  return undefined;
}
