// What a witness says is untrusted text too: a review with 100,000 findings, a line of 1e20 or 0, or a
// message of a megabyte must not freeze the server that publishes it or the editor that shows it.
// Findings are kept to lines the file has (a line past its end is dropped; 0 or less becomes 1), at
// most MAX_PER_FILE a file and MAX_PER_RUN a run, messages cut to MAX_MESSAGE_CHARS; what is left out
// is counted. Pure.

export const MAX_PER_FILE = 200;
export const MAX_PER_RUN = 2000;
export const MAX_MESSAGE_CHARS = 1000;

export interface BoundedFindings<F> {
  kept: F[];
  /** Findings left out: past a file's end, or past the limits. */
  dropped: number;
}

/**
 * `lineCount(file)`: how many lines the file has, or undefined when it is not known (its line is then
 * only kept within 1…10,000,000). `already`: findings the run keeps from elsewhere, against its limit.
 */
export function boundFindings<F extends { file: string | undefined; line: number | undefined; column: number | undefined; message: string }>(findings: readonly F[], lineCount: (file: string) => number | undefined, already = 0): BoundedFindings<F> {
  const kept: F[] = [];
  const perFile = new Map<string, number>();
  let dropped = 0;
  for (const finding of findings) {
    const key = finding.file ?? '';
    const lines = finding.file === undefined ? undefined : lineCount(finding.file);
    const line = finding.line === undefined || !Number.isFinite(finding.line) ? finding.line : Math.max(1, Math.floor(finding.line));
    if (line !== undefined && line > (lines ?? 10_000_000)) {
      dropped++;
      continue;
    }
    const count = perFile.get(key) ?? 0;
    if (count >= MAX_PER_FILE || already + kept.length >= MAX_PER_RUN) {
      dropped++;
      continue;
    }
    perFile.set(key, count + 1);
    const column = finding.column === undefined || !Number.isFinite(finding.column) ? finding.column : Math.min(100_000, Math.max(1, Math.floor(finding.column)));
    const message = finding.message.length > MAX_MESSAGE_CHARS ? `${finding.message.slice(0, MAX_MESSAGE_CHARS)}…` : finding.message;
    kept.push({ ...finding, line, column, message });
  }
  return { kept, dropped };
}
