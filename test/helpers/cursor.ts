// Texts with a `|` marking the cursor, so tests state positions by content, not by column numbers.

export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset === -1) throw new Error('no | cursor in text');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}
