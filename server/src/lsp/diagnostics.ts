// Publishes config issues as LSP diagnostics: at once when a document opens, debounced while it is
// edited, so typing never waits on validation.
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import type { ConfigIssue } from '../config/issues';
import type { LineIndex } from '../config/line-index';

export const DIAGNOSTIC_SOURCE = 'electrictown';
export const EDIT_DEBOUNCE_MS = 150;

const SEVERITIES: Record<ConfigIssue['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Every published range lies inside the document, its start before its end, whatever an issue's offsets say. */
export function toDiagnostic(issue: ConfigIssue, lines: LineIndex): Diagnostic {
  const start = lines.positionAt(Math.min(issue.start, issue.end));
  const end = lines.positionAt(Math.max(issue.start, issue.end));
  return {
    range: { start, end },
    severity: SEVERITIES[issue.severity],
    code: issue.code,
    source: DIAGNOSTIC_SOURCE,
    message: issue.message,
  };
}

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly connection: Connection,
    private readonly compute: (uri: string) => Promise<{ version: number; diagnostics: Diagnostic[] } | undefined>,
  ) {}

  schedule(uri: string, delayMs: number): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publishNow(uri).catch((error: unknown) => this.connection.console.error(`diagnostics for ${uri} failed: ${String(error)}`));
      }, delayMs),
    );
  }

  async publishNow(uri: string): Promise<void> {
    const result = await this.compute(uri);
    if (result) await this.connection.sendDiagnostics({ uri, version: result.version, diagnostics: result.diagnostics });
  }

  clear(uri: string): void {
    this.cancel(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }
}
