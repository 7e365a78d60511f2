// A config problem, located by offsets into the source text. Conversion to lines and columns
// (LSP ranges, `file:line:col`) happens at the edges.
import type { ConfigPath } from './schema-walk';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface ConfigIssue {
  severity: Severity;
  /** Stable kebab-case identifier, shown as `[code]` and used as the diagnostic code. */
  code: string;
  message: string;
  /** Offsets into the text (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
}

/** An issue found on the parsed value, before it is located in the text. */
export interface PathIssue {
  severity: Severity;
  code: string;
  message: string;
  path: ConfigPath;
  /** Point at the key (unknown or colliding names) or at the value (everything else). */
  target: 'key' | 'value';
  /** Narrow the range to this text inside the value, e.g. one `$VAR` inside a URL. */
  within?: string;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Document order; ties broken so the output never depends on discovery order. */
export function compareIssues(a: ConfigIssue, b: ConfigIssue): number {
  return (
    a.start - b.start ||
    a.end - b.end ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.code.localeCompare(b.code) ||
    a.message.localeCompare(b.message)
  );
}

/** A dotted, human-readable path: `models.fast.max_tokens`, `roles.mayor.fallbacks[1]`. */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return text || 'the config';
}
