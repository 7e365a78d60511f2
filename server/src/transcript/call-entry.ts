// One model call as a transcript entry: who was asked what (in short), what it answered, every attempt
// on the way (fallbacks with the provider's reason), and a witness's score and reasons read from its
// answer. Text that goes into the run folder is redacted of the config's secrets first, as logs are. Pure.
import type { ChatMessage } from '../providers/language-model';
import { redactSecrets } from '../providers/redact';
import type { AttemptRecord } from '../router/router';
import type { CallPurpose, PromptSummary, TranscriptAttempt, TranscriptEntry } from '../protocol';
import { parseReview } from '../run/review';
import { runAttempt } from '../run/run-record';

export type CallEntry = Extract<TranscriptEntry, { kind: 'call' }>;

/** Characters of the last user message a prompt summary keeps. */
const SUMMARY_CHARS = 240;

/** The prompt in short: how big it was and how its last user message starts, on one line. */
export function promptSummary(messages: readonly ChatMessage[], secrets: readonly string[]): PromptSummary {
  const last = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  // Its start only: a worker's request holds the project's files.
  const line = last.slice(0, SUMMARY_CHARS * 4).replace(/\s+/g, ' ').trim();
  const text = line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS)}…` : line;
  return { messages: messages.length, chars: messages.reduce((sum, message) => sum + message.content.length, 0), text: redactSecrets(text, secrets) };
}

/** An attempt as the transcript keeps it: the run record's fields, and the provider's one-line reason. */
export function transcriptAttempt(record: AttemptRecord, purpose: CallPurpose, role: string, secrets: readonly string[]): TranscriptAttempt {
  const attempt: TranscriptAttempt = runAttempt(record, purpose, role);
  const reason = record.message?.split('\n')[0].trim();
  if (reason) attempt.message = redactSecrets(reason.length > 200 ? `${reason.slice(0, 200)}…` : reason, secrets);
  return attempt;
}

export interface EndedCall {
  seq: number;
  at: Date;
  role: string;
  purpose: CallPurpose;
  subtask: number | undefined;
  prompt: PromptSummary;
  attempts: TranscriptAttempt[];
  durationMs: number;
  /** The model that answered and its answer; absent when the call failed. */
  answer?: { model: string; text: string };
  error?: string;
}

export function callEntry(call: EndedCall, secrets: readonly string[]): CallEntry {
  const text = call.answer === undefined ? undefined : redactSecrets(call.answer.text, secrets);
  const review = call.purpose === 'review' && text !== undefined ? parseReview(text) : undefined;
  return {
    kind: 'call',
    at: call.at.toISOString(),
    seq: call.seq,
    role: call.role,
    purpose: call.purpose,
    subtask: call.subtask,
    model: call.answer?.model,
    prompt: call.prompt,
    text,
    error: call.error === undefined ? undefined : redactSecrets(call.error, secrets),
    attempts: call.attempts,
    durationMs: Math.round(call.durationMs),
    ...(review ? { review: { score: review.score, reason: review.reason } } : {}),
  };
}
