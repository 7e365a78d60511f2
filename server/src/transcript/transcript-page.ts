// The transcript's pages, cut from `_transcript.jsonl`: whole lines only (a line being appended is not
// read until its newline is there), about a page's bytes at a time, and never an entry split — a line
// longer than a page is one page. The cursor is a byte offset, so a page asked again from the same
// cursor later gets only what was added since. Pure: the reader (read-transcript.ts) does the I/O.
import type { TranscriptEntry } from '../protocol';

export const DEFAULT_PAGE_BYTES = 256 * 1024;

/** Where the whole lines of `chunk` (bytes read from a cursor) end: just past the last newline, or 0. */
export function wholeLinesEnd(chunk: Uint8Array): number {
  return chunk.lastIndexOf(0x0a) + 1;
}

/** The entries of whole lines; a line that is not an entry (a hand-edited file) is left out. */
export function parseEntries(text: string): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as TranscriptEntry | null;
      if (entry && typeof entry === 'object' && typeof entry.kind === 'string') entries.push(entry);
    } catch {
      // Not JSON: skipped, not guessed at.
    }
  }
  return entries;
}
