// What the user decided about a run's proposed files, and which of the witness's findings the refinery
// fixed: `review.json` in the run folder, kept by the server. It is what places a run's findings after
// a restart — on the proposal while a file is pending, on the real file once accepted, nowhere once
// discarded or fixed — for the editor and any other client alike. The decisions are pure functions; the
// store reads and writes the file, one change at a time per folder.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProposalDecision } from '../protocol';
import { writeAtomically } from './write-files';

export const REVIEW_FILE = 'review.json';

/** A finding, as the run record has it: its file (relative to the output directory), line and message. */
export interface FindingKey {
  path: string;
  /** 1-based, or null for a finding about the whole file. */
  line: number | null;
  message: string;
}

export interface ReviewState {
  version: 1;
  /** By proposed path; a path that is not here is pending. `at`: when it was decided, ISO. */
  files: Record<string, { decision: Exclude<ProposalDecision, 'pending'>; at: string; /** Accepted, but only some of its hunks: the rest were discarded. */ partly?: true }>;
  /** Findings the refinery fixed: not shown again. */
  fixed: FindingKey[];
}

export const emptyReviewState = (): ReviewState => ({ version: 1, files: {}, fixed: [] });

/** The proposed file's decision: pending unless decided. */
export const decisionOf = (state: ReviewState, file: string): ProposalDecision => state.files[file]?.decision ?? 'pending';

/** The state after deciding `paths` (pending again forgets the decision). `partly`: accepted in part. Pure. */
export function decide(state: ReviewState, paths: readonly string[], decision: ProposalDecision, at: string, partly = false): ReviewState {
  const files = { ...state.files };
  for (const file of paths) {
    if (decision === 'pending') delete files[file];
    else files[file] = partly && decision === 'accepted' ? { decision, at, partly: true } : { decision, at };
  }
  return { ...state, files };
}

const sameFinding = (a: FindingKey, b: FindingKey) => a.path === b.path && a.line === b.line && a.message === b.message;

export const isFixed = (state: ReviewState, finding: FindingKey): boolean => state.fixed.some((known) => sameFinding(known, finding));

/** The state with the finding marked fixed. Pure. */
export function markFixed(state: ReviewState, finding: FindingKey): ReviewState {
  return isFixed(state, finding) ? state : { ...state, fixed: [...state.fixed, finding] };
}

function isReviewState(value: unknown): value is ReviewState {
  const state = value as ReviewState | null;
  if (state?.version !== 1 || typeof state.files !== 'object' || state.files === null || !Array.isArray(state.fixed)) return false;
  const decisions = Object.values(state.files).every((file) => (file?.decision === 'accepted' || file?.decision === 'discarded') && typeof file.at === 'string' && (file.partly === undefined || file.partly === true));
  return decisions && state.fixed.every((finding) => typeof finding?.path === 'string' && typeof finding.message === 'string' && (finding.line === null || typeof finding.line === 'number'));
}

export class ReviewStateError extends Error {
  constructor(file: string, reason: string) {
    super(`${file} is not a review state (${reason}); move it away to start the run's review afresh`);
    this.name = 'ReviewStateError';
  }
}

/** The run folder's review state; empty when it has none. Throws a ReviewStateError naming the file when it is not one. */
export async function readReviewState(folder: string): Promise<ReviewState> {
  const file = path.join(folder, REVIEW_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyReviewState();
    throw new ReviewStateError(file, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReviewStateError(file, error instanceof Error ? error.message : String(error));
  }
  if (!isReviewState(value)) throw new ReviewStateError(file, 'its fields are not version 1, files and fixed');
  return value;
}

/** Changes to review states, one at a time per run folder, each read, changed and written whole. */
export class ReviewStates {
  private readonly queues = new Map<string, Promise<unknown>>();

  update(folder: string, change: (state: ReviewState) => ReviewState): Promise<ReviewState> {
    const result = (this.queues.get(folder) ?? Promise.resolve()).then(async () => {
      const next = change(await readReviewState(folder));
      await writeAtomically(path.join(folder, REVIEW_FILE), `${JSON.stringify(next, null, 2)}\n`, false);
      return next;
    });
    const settled = result.catch(() => undefined);
    this.queues.set(folder, settled);
    // The queue of a folder nobody writes to any more is forgotten.
    void settled.then(() => {
      if (this.queues.get(folder) === settled) this.queues.delete(folder);
    });
    return result;
  }
}
