// The witness's verdict on one worker's output: `SCORE: N` (0–10), `REASON: …`, and findings, one per
// line as `PATH:LINE[:COL]: severity: message`, which become diagnostics on the generated files.
// Models vary the shape (`Score: 7/10`, `**SCORE:** 8`, bullets before findings); all are read. Pure.

export type FindingSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface ReviewFinding {
  file: string;
  /** 1-based. */
  line: number;
  column: number | undefined;
  severity: FindingSeverity;
  message: string;
}

export interface Review {
  /** undefined when the witness gave none: the output is then not sent back. */
  score: number | undefined;
  reason: string;
  findings: ReviewFinding[];
}

const SCORE = /^\W*score\W*:?\W*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+))?/im;
const REASON = /^\W*reason\W*:?\s*(.+)$/im;
const FINDING = /^\s*(?:[-*•]\s+)?`?([^\s:`][^:`]*?)`?:(\d+)(?::(\d+))?:\s*(error|warning|warn|info|note|hint|suggestion)\s*:\s*(.+)$/i;

const SEVERITIES: Record<string, FindingSeverity> = { error: 'error', warning: 'warning', warn: 'warning', info: 'info', note: 'info', hint: 'hint', suggestion: 'hint' };

export function parseReview(text: string): Review {
  const score = SCORE.exec(text);
  let value: number | undefined;
  if (score) {
    const raw = Number(score[1]);
    const outOf = score[2] === undefined ? 10 : Number(score[2]);
    value = outOf > 0 ? Math.max(0, Math.min(10, (raw / outOf) * 10)) : undefined;
  }
  const findings: ReviewFinding[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const finding = FINDING.exec(line);
    if (!finding) continue;
    findings.push({ file: finding[1].trim(), line: Number(finding[2]), column: finding[3] === undefined ? undefined : Number(finding[3]), severity: SEVERITIES[finding[4].toLowerCase()], message: finding[5].trim() });
  }
  return { score: value, reason: REASON.exec(text)?.[1].replace(/\*+/g, '').trim() ?? '', findings };
}
