// A failure's message, bounded: runners can print megabytes for one test (a huge diff, a log flood), and
// the message goes into a model's prompt, so it keeps the first lines only.

export const MAX_MESSAGE_LINES = 20;
export const MAX_MESSAGE_CHARS = 2000;

/**
 * Adds a line to a message being read, keeping no more than the message can show (a line cut short stays
 * longer than a message may be, so that formatMessage marks the cut). Leading blank lines are skipped, so
 * that they take no room.
 */
export function addMessageLine(lines: string[], line: string): void {
  if (lines.length > MAX_MESSAGE_LINES) return;
  if (lines.length === 0 && line.trim() === '') return;
  lines.push(line.length > 2 * MAX_MESSAGE_CHARS ? line.slice(0, 2 * MAX_MESSAGE_CHARS) : line);
}

/**
 * The lines as one message: shifted left by the first line's indentation (lines indented less lose what they
 * have), trailing spaces and blank lines dropped, cut to MAX_MESSAGE_LINES lines and MAX_MESSAGE_CHARS chars.
 */
export function formatMessage(lines: readonly string[]): string {
  const first = lines.find((line) => line.trim() !== '') ?? '';
  const indent = first.length - first.trimStart().length;
  const shifted = lines.slice(0, MAX_MESSAGE_LINES).map((line) => dedent(line, indent).trimEnd());
  const text = shifted.join('\n').trim();
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…` : text;
}

function dedent(line: string, indent: number): string {
  let start = 0;
  while (start < indent && (line[start] === ' ' || line[start] === '\t')) start++;
  return line.slice(start);
}
