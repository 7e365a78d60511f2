// Keeps a run's transcript as it happens, in the run folder's `_transcript.jsonl`: every model call (its
// prompt in short, answer and attempts), the plan, each gate's result and the summary, one JSON line
// each, in the order they happened. It hooks in around the engine's router and event sink, so the
// engine does not change; lines go out through the run folder's write queue in batches (the run never
// waits on them), and each batch on disk is announced as a `transcript-append` event.
import type { CallPurpose, RunEvent, RunRecord, TranscriptAttempt, TranscriptEntry } from '../protocol';
import { redactSecrets } from '../providers/redact';
import type { EngineDependencies, RunRouter } from '../run/engine';
import { callEntry, promptSummary, transcriptAttempt } from './call-entry';

export interface TranscriptSink {
  appendTranscript(take: () => string): Promise<number>;
}

/** What the recorder reads of the run it records: the record (a gate's log name) and where to warn. */
export interface RecordedRun {
  readonly record: RunRecord;
  warn(message: string): void;
}

const PURPOSES: readonly CallPurpose[] = ['decompose', 'coordinate', 'work', 'continue', 'validate', 'rematch', 'revise', 'review', 'fix', 'synthesize', 'polish'];

function callPurpose(tag: string | undefined): CallPurpose {
  return PURPOSES.find((purpose) => purpose === tag) ?? 'work';
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class TranscriptRecorder {
  private seq = 0;
  private pending: string[] | undefined;
  private run: RecordedRun | undefined;
  private failed = false;
  private emit: ((event: RunEvent) => void) | undefined;
  /** Each gate's command, from its `build-start` until its `build-end`. */
  private readonly commands = new Map<string, string>();

  constructor(
    private readonly sink: TranscriptSink,
    private readonly secrets: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  /** The engine's dependencies with the router and the event sink recorded. */
  wrap(deps: EngineDependencies): EngineDependencies {
    this.emit = deps.emit;
    return {
      ...deps,
      router: this.recordingRouter(deps.router),
      emit: (event) => {
        deps.emit(event);
        this.observe(event);
      },
    };
  }

  attach(run: RecordedRun): void {
    this.run = run;
  }

  private recordingRouter(inner: RunRouter): RunRouter {
    return {
      chainFor: (target) => inner.chainFor(target),
      pricingFor: (entry) => inner.pricingFor(entry),
      request: async (request, chain) => {
        const started = this.now();
        const purpose = callPurpose(request.tags?.purpose);
        const role = 'role' in request.target ? request.target.role : request.target.model;
        const attempts: TranscriptAttempt[] = [];
        const prompt = promptSummary(request.messages, this.secrets);
        const ended = (outcome: { answer?: { model: string; text: string }; error?: string }) =>
          this.append(callEntry({ seq: ++this.seq, at: new Date(this.now()), role, purpose, subtask: request.tags?.subtask, prompt, attempts, durationMs: this.now() - started, ...outcome }, this.secrets));
        try {
          const routed = await inner.request(
            {
              ...request,
              onEvent: (event) => {
                if (event.type === 'attempt-end') attempts.push(transcriptAttempt(event, purpose, role, this.secrets));
                request.onEvent?.(event);
              },
            },
            chain,
          );
          ended({ answer: { model: routed.entry.reference, text: routed.result.text } });
          return routed;
        } catch (error) {
          ended({ error: messageOf(error) });
          throw error;
        }
      },
    };
  }

  private observe(event: RunEvent): void {
    const at = new Date(this.now()).toISOString();
    switch (event.kind) {
      case 'plan-ready':
        this.append({ kind: 'plan', at, subtasks: event.subtasks.map(({ index, text, dependsOn, specialist, files }) => ({ index, text: redactSecrets(text, this.secrets), dependsOn, specialist, files: files ?? [] })) });
        break;
      case 'build-start':
        this.commands.set(`${event.iteration}/${event.gate ?? ''}`, event.command);
        break;
      case 'build-end': {
        const key = `${event.iteration}/${event.gate ?? ''}`;
        const command = this.commands.get(key) ?? '';
        this.commands.delete(key);
        this.append({ kind: 'build', at, iteration: event.iteration, gate: event.gate, gateKind: event.gateKind, command, status: event.status ?? (event.passed ? 'passed' : 'failed'), passed: event.passed, errors: event.errors, durationMs: event.durationMs, log: this.logOf(event.iteration, event.gate) });
        break;
      }
      case 'synthesis-end':
        this.append({ kind: 'summary', at, text: redactSecrets(event.text, this.secrets) });
        break;
      default:
        break;
    }
  }

  /** The gate's log in the run folder, as its record names it (recorded before its `build-end`). */
  private logOf(iteration: number, gate: string | undefined): string | undefined {
    const build = this.run?.record.build;
    if (!build) return undefined;
    if (iteration === 0) return build.setup?.find((step) => step.name === gate)?.log;
    return build.attempts.findLast((attempt) => attempt.iteration === iteration && attempt.gate === gate)?.log;
  }

  /** Queues the entry's line; lines that come while a write waits go out with it. */
  private append(entry: TranscriptEntry): void {
    const line = `${JSON.stringify(entry)}\n`;
    if (this.pending) {
      this.pending.push(line);
      return;
    }
    const lines = [line];
    this.pending = lines;
    this.sink
      .appendTranscript(() => {
        this.pending = undefined;
        return lines.join('');
      })
      .then(
        (cursor) => this.emit?.({ kind: 'transcript-append', cursor }),
        (error: unknown) => {
          // Said once: the run goes on without its transcript.
          if (this.failed) return;
          this.failed = true;
          this.run?.warn(`the transcript could not be written: ${messageOf(error)}`);
        },
      );
  }
}
