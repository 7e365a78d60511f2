// Every custom message between the extension (or any headless client) and the server, declared once.
// Standard LSP is used wherever it fits (diagnostics, `workspace/applyEdit`, `$/progress`); custom
// methods are `electrictown/<name>`. The run record (`run.json`) and the run events are declared here
// too, since clients read both. This module imports nothing but protocol types, so the extension can
// import it.
import { MessageDirection, NotificationType, RequestType, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';

/** Server health, as one status item shows it. */
export interface ServerStatusParams {
  health: 'ok' | 'warning' | 'error';
  /** Short, human-readable; shown in the tooltip. */
  message: string;
  /** The server's version, so a client can tell which `et` it talks to. */
  version: string;
}

/** Sent by the server after `initialized` (later issues add health changes). */
export namespace ServerStatusNotification {
  export const method = 'electrictown/server/status' as const;
  export const messageDirection = MessageDirection.serverToClient;
  export const type = new NotificationType<ServerStatusParams>(method);
}

/** What the server needs to know from the editor at `initialize` (`initializationOptions`). */
export interface ElectrictownInitializationOptions {
  /** False in an untrusted workspace: no build command runs (`iterate` is refused). Absent: trusted (headless). */
  workspaceTrusted?: boolean;
  /** The client answers `electrictown/budgetReached`: a run that reaches its budget asks it before stopping. */
  budgetPrompt?: boolean;
  /** The client answers `electrictown/approvePlan`: a run with `approvePlan` waits for its answer after decompose. */
  planApproval?: boolean;
  /**
   * The client shows each run's progress itself (from its events): the server creates no `$/progress` of
   * its own for a run, so the user sees one progress notification, not two. A `workDoneToken` the client
   * passes with a run is still reported on.
   */
  showsRunProgress?: boolean;
  /** The config the client's commands use (like `RunParams.configPath`): the past runs whose findings are published at start are read from its log folder. */
  configPath?: string;
  /** The client answers `electrictown/lm/chat` with the editor's language models: a provider of `type: vscode` works only then. */
  languageModels?: boolean;
}

/** The user trusted the workspace after the server started. */
export namespace WorkspaceTrustNotification {
  export const method = 'electrictown/workspaceTrust' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new NotificationType<{ trusted: boolean }>(method);
}

export { ASK_REFINERY_COMMAND, NO_CONFIG_REASON, WITNESS_SOURCE } from './protocol-names';

// ---- Runs -----------------------------------------------------------------------------------------

/** `et run`'s flags, camel-cased; every one is optional and defaults as on the command line. */
export interface RunFlags {
  /** The role that decomposes, coordinates and synthesizes (default `mayor`). */
  role?: string;
  /** Where files are written; relative to the workspace (or the current directory headless). */
  outputDir?: string;
  workers?: number;
  maxSubtasks?: number;
  /** Minutes before the run is stopped as failed (default 45). */
  timeoutMinutes?: number;
  synthesize?: boolean;
  /** The witness's review (`--no-reviewer` sets it false). */
  reviewer?: boolean;
  /** The refinery's polish of the summary (`--no-refinery`, `--no-tester`). */
  refinery?: boolean;
  coordinate?: boolean;
  specialists?: boolean;
  guardrailRetries?: number;
  guardrailThreshold?: number;
  /** USD; when the run's cost would pass it, no new model calls are made (a client that answers `electrictown/budgetReached` is asked to raise it first). */
  budgetUsd?: number;
  /** USD per subtask, all its calls together: a subtask that would pass it fails, the run goes on. */
  subtaskBudgetUsd?: number;
  /** Model requests per subtask (its answer, continuations, corrections, revisions, fixes): past it the subtask fails. */
  maxTurns?: number;
  /** Build the output and send each error back to the worker that wrote its file. */
  iterate?: boolean;
  /** Build attempts with `iterate` (default 3). */
  maxIterations?: number;
  /** The build command, instead of the one detected from the output (`go.mod` → `go build ./...`, …). */
  buildCommand?: string;
  /** Minutes one build may take (default 10). */
  buildTimeoutMinutes?: number;
  /**
   * The gates `iterate` runs, in order, instead of the detected ones: `[kind:]COMMAND` (kind `setup`,
   * `build`, `test` or `lint`; without one it is read from the command), each run without a shell.
   */
  gates?: string[];
  /** A fix that deletes or skips a test, removes assertions or edits a test it was not given is refused and sent back, not only flagged. */
  protectTests?: boolean;
  /** Gates run in a bwrap sandbox where it works (default true): no network, writes only to the output folder, caches and temp. */
  sandbox?: boolean;
  /** After decompose, wait for the plan to be approved, edited or cancelled (a client that says `planApproval`; a terminal). */
  approvePlan?: boolean;
  /** Files, folders or globs (relative to the output folder) every worker and the mayor are shown. */
  context?: string[];
  /** Tokens of the project map the mayor is shown (default 4096; 0: no map). */
  mapTokens?: number;
  /** Lines the user selected (Run Task on Selection): shown to the mayor and every worker as what the task is about. */
  selection?: SelectedLines;
}

export interface SelectedLines {
  /** Relative to the output folder. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
}

export interface RunParams extends RunFlags, WorkDoneProgressParams {
  task: string;
  /** The config file; by default `electrictown.yaml` in the workspace folder. */
  configPath?: string;
  /** Continue this run (an id, or its folder) instead of starting one; `task` and the flags are its own. */
  resume?: string;
  /**
   * Refine this finished run (an id, or its folder) with `task` as the refinement: a new round of the
   * same run (its id, folder, record, ledger and budget), events as for a run. Of the flags only
   * `budgetUsd` and `iterate` apply; the rest are the run's own.
   */
  continueRunId?: string;
  /**
   * How files are written: `workspaceEdit` sends one `workspace/applyEdit` for the whole run (one
   * Undo takes it back), `disk` writes them directly. Default: `workspaceEdit` when the client can
   * apply edits that create files, else `disk`. `review` writes nothing into the output directory: the
   * files are staged in the run folder (`files.proposed`, `file-propose` events) for the client to show
   * and apply. With `iterate` files are always written to disk, since the build reads them there.
   */
  writeMode?: 'disk' | 'workspaceEdit' | 'review';
}

export interface RunStarted {
  runId: string;
  /** The run folder: `run.json`, `_decisions.jsonl`, `_synthesis.md`, `worker-N.out`. */
  folder: string;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'budget_exceeded';
export type PhaseName = 'map' | 'decompose' | 'coordinate' | 'workers' | 'validate' | 'review' | 'write' | 'iterate' | 'synthesize' | 'polish';
export type SubtaskStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
/** Why a model was called. */
export type CallPurpose = 'decompose' | 'coordinate' | 'work' | 'continue' | 'validate' | 'rematch' | 'revise' | 'review' | 'fix' | 'synthesize' | 'polish';

export interface TokenCounts {
  input: number;
  cachedInput: number;
  output: number;
  reasoning: number;
}

/** Money spent: `usd` sums the priced attempts; unpriced ones are counted, never shown as $0. */
export interface Spend {
  tokens: TokenCounts;
  usd: number;
  requests: number;
  unpricedAttempts: number;
  estimatedAttempts: number;
}

/** One attempt at a model, as the router reported it. */
export interface RunAttempt {
  purpose: CallPurpose;
  role: string;
  reference: string;
  provider: string;
  modelId: string;
  outcome: 'ok' | 'retry' | 'fallback' | 'fail' | 'skipped' | 'cancelled';
  errorClass?: string;
  tokens: TokenCounts;
  /** null: the model has no known price. */
  usd: number | null;
  estimated: boolean;
  durationMs: number;
  /** The answer stopped at the output cap (`max_tokens`): it is incomplete. */
  cutAtOutputCap?: true;
}

export type FindingSeverity = 'error' | 'warning' | 'info' | 'hint';

/** A problem in a generated file: from the witness, or from reading the worker's file blocks. */
export interface RunFinding {
  source: 'witness' | 'file-blocks' | 'gates';
  subtask: number;
  file: string | undefined;
  /** 1-based; undefined when the finding is about the whole answer. */
  line: number | undefined;
  column: number | undefined;
  severity: FindingSeverity;
  message: string;
}

export interface ReviewRecord {
  /** 0–10; undefined when the witness gave none. */
  score: number | undefined;
  reason: string;
  passed: boolean;
  /** The model that reviewed. */
  model: string;
}

export interface SubtaskRecord {
  /** 1-based, as in the plan. */
  index: number;
  text: string;
  dependsOn: number[];
  specialist: string | undefined;
  status: SubtaskStatus;
  /** The model that gave the final answer, as written in the config. */
  model: string | undefined;
  attempts: RunAttempt[];
  spend: Spend;
  /** Paths the worker's answer holds files or edits for, as written. */
  files: string[];
  /** The files the plan says it reads or writes (`[files: …]`, or existing paths its text names); absent in older records. */
  plannedFiles?: string[];
  /** What its worker was shown of the project: each file whole, as an outline, as not there yet, or left out for the budget. */
  context?: { path: string; kind: 'whole' | 'outline' | 'missing' | 'left-out'; chars: number }[];
  review: ReviewRecord | undefined;
  /** Answers sent back with the witness's feedback. */
  revisions: number;
  startedAt: string | undefined;
  endedAt: string | undefined;
  error: string | undefined;
  /** `worker-N.out` in the run folder, for a worker that wrote no file (or a run that stopped first). */
  output: string | undefined;
  /** The run's round it belongs to (a follow-up's are 2 and on); absent: round 1. */
  round?: number;
  /** The earlier subtask whose worker's conversation it continues (a follow-up round). */
  continues?: number;
}

export interface PhaseRecord {
  name: PhaseName;
  startedAt: string;
  endedAt: string | undefined;
  durationMs: number | undefined;
  /** Calls made by the phase itself (a subtask's calls are on the subtask). */
  attempts: RunAttempt[];
}

/** A file staged for the user's review (`writeMode: "review"`), not yet in the output directory. */
export interface ProposedFile {
  /** Relative to the output directory, checked like a write. */
  path: string;
  bytes: number;
  subtask: number;
  /** Absolute: where it goes when accepted. */
  target: string;
  /** Absolute: its content, in the run folder's `proposed/`. */
  staged: string;
  /** Whether `target` existed when the file was staged (so accepting replaces it). */
  existed: boolean;
  /**
   * SHA-256 (hex) of the file the proposal was made from, as the run read it; null: it was made for a
   * file that did not exist. A client compares it with the file now to tell one changed since (absent
   * in records from before it).
   */
  baseSha256?: string | null;
  /** Absolute: the content `baseSha256` names, kept in the run folder's `base/` (absent for a new file, and in older records). */
  base?: string;
  /** Why it would run code when the project is opened or built: never applied without the user's say. */
  runsCode?: string;
}

export interface WrittenFile {
  path: string;
  bytes: number;
  subtask: number;
}

/** One build of the output, and the fixes its errors were sent for. */
export interface BuildAttempt {
  /** 1-based: the round. Each gate that ran in a round is an attempt of its own. */
  iteration: number;
  /** The gate (`build`, `vet`, `test`…) and its kind; absent in records from before gates. */
  gate?: string;
  kind?: 'build' | 'test' | 'lint';
  /** `no-tests`: a test gate that ran none; `flaky`: it failed, then passed when run again. */
  status?: 'passed' | 'failed' | 'timed-out' | 'no-tests' | 'flaky';
  /** A test gate's counts, when its runner prints them. */
  tests?: { passed: number | undefined; failed: number | undefined; skipped: number | undefined };
  command: string;
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Errors read from its output (warnings not counted). */
  errors: number;
  /** `_gate_<name>_iterN.log` (`_build_iterN.log` in older records) in the run folder. */
  log: string;
  /** Who was asked to fix what: a subtask's worker, or (subtask null) the general fixer for files nobody owns. */
  fixes: { subtask: number | null; files: string[]; status: 'succeeded' | 'failed' | 'skipped'; error: string | undefined }[];
}

export interface BuildRecord {
  status: 'passed' | 'failed' | 'not-run';
  /** Why it did not run or stopped: no gate found, the setup failed, the same failures came back, … */
  reason: string | undefined;
  /** The setup steps (dependencies), run once per run before the first round. */
  setup?: { name: string; command: string; passed: boolean; durationMs: number; log: string; cached?: boolean }[];
  /** Nothing at the output folder's root says how to build or test it, and no gate was given. */
  nothingToRun?: boolean;
  /** How the gates ran: `sandboxed with bwrap: …` or `not sandboxed: <why>`. */
  sandbox?: string;
  attempts: BuildAttempt[];
}

export interface RunRecord {
  /** Of this record's shape. */
  version: 1;
  id: string;
  task: string;
  status: RunStatus;
  /** The process's exit code (`et run`), null while running. */
  exitCode: number | null;
  error: string | undefined;
  startedAt: string;
  endedAt: string | undefined;
  /** Of the process running it, so a reader can tell a run that died from one still running. */
  pid: number;
  config: { path: string; sha256: string };
  flags: Required<Omit<RunFlags, 'budgetUsd' | 'subtaskBudgetUsd' | 'maxTurns' | 'buildCommand' | 'selection' | 'sandbox' | 'approvePlan'>> & {
    /** Absent in records written before it existed: not asked. */
    approvePlan?: boolean;
    /** Absent in records written before it existed: sandboxed where possible. */
    sandbox?: boolean;
    budgetUsd: number | null;
    /** Absent in records written before it existed: no limit. */
    subtaskBudgetUsd?: number | null;
    maxTurns?: number | null;
    buildCommand: string | null;
    selection?: SelectedLines;
  };
  /** Each time the budget was raised while the run ran (the user agreed, in a terminal or the editor). */
  budgetRaises?: { fromUsd: number; toUsd: number; at: string }[];
  outputDir: string;
  folder: string;
  phases: PhaseRecord[];
  subtasks: SubtaskRecord[];
  files: {
    written: WrittenFile[];
    refused: { path: string; reason: string; subtask: number }[];
    conflicts: { path: string; subtasks: number[]; kept: number }[];
    /** With `writeMode: "review"`; absent in records from before it existed. */
    proposed?: ProposedFile[];
  };
  findings: RunFinding[];
  warnings: string[];
  totals: Spend & { byRole: Record<string, Spend> };
  /** `_synthesis.md`, once written. */
  synthesis: string | undefined;
  /** With `iterate`: the builds and fixes. */
  build: BuildRecord | undefined;
  /** The mayor's coordination brief, once written (a resumed run does not ask again). */
  brief: string | undefined;
  /** When the run was continued with `--resume`, each time. */
  resumedAt: string[];
  /** The project as mapped before the plan; absent in records from before the map existed. */
  project?: ProjectRecord;
  /** Per file the run changed: which subtasks changed it and how; absent in older records. */
  changes?: FileChangeRecord[];
  /**
   * The rounds before the current one, oldest first, when the run was continued with a refinement
   * (`et run --resume ID "refinement"`): each as it ended. Absent: the run has had one round. The
   * top-level phases, files, findings, build and synthesis are the current round's; totals are the run's.
   */
  rounds?: RoundRecord[];
  /** The current round's refinement; absent in round 1. */
  refinement?: string;
}

/** A round of a run as it ended, kept when a refinement starts the next one. */
export interface RoundRecord {
  round: number;
  /** Round 1: the run's task; later rounds: their refinement. */
  task: string;
  status: RunStatus;
  exitCode: number | null;
  error: string | undefined;
  startedAt: string;
  endedAt: string | undefined;
  /** The round's subtasks' indexes (in `subtasks`). */
  subtasks: number[];
  phases: PhaseRecord[];
  files: RunRecord['files'];
  changes?: FileChangeRecord[];
  findings: RunFinding[];
  build: BuildRecord | undefined;
  synthesis: string | undefined;
  brief: string | undefined;
  /** What the round cost (the run's totals are all rounds'). */
  spend: Spend;
}

export interface ProjectRecord {
  /** Files mapped, skipped (binary, huge) and left out past the limit. */
  files: number;
  skipped: number;
  omitted: number;
  /** Files parsed this time, and read from the map's cache. */
  parsed: number;
  fromCache: number;
  durationMs: number;
  notes: string[];
  /** The `--context` files, resolved. */
  context: string[];
  /** Tokens (estimated) of the map the mayor was shown; 0: none. */
  mapTokens: number;
}

export interface FileChangeRecord {
  /** Relative to the output directory. */
  path: string;
  /** The run created it (it did not exist before). */
  created: boolean;
  /** In the order their changes were applied. */
  subtasks: number[];
  /** Lines added and removed in all, as `git diff --stat` counts them. */
  added: number;
  removed: number;
  edits: {
    subtask: number;
    /** `edit`: SEARCH/REPLACE blocks; `create`: a new file; `rewrite`: a whole file for an existing one. */
    kind: 'edit' | 'create' | 'rewrite';
    blocks: number;
    /** Blocks that matched exactly, and after ignoring whitespace and indentation. */
    exact: number;
    whitespace: number;
    /** 1-based line ranges of the file before each block, e.g. `12-18`. */
    lines: string[];
    /** Lines the blocks' REPLACE parts hold, and their SEARCH parts held. */
    added: number;
    removed: number;
  }[];
}

/** What a run reports as it goes, in `noun-verb` form. Text deltas are batched. */
export type RunEvent =
  | { kind: 'run-start'; runId: string; task: string; folder: string; outputDir: string; workers: number; /** A follow-up round: its number and refinement. */ round?: number; refinement?: string }
  | { kind: 'phase-start'; phase: PhaseName }
  | { kind: 'phase-end'; phase: PhaseName; durationMs: number }
  | { kind: 'plan-ready'; subtasks: { index: number; text: string; dependsOn: number[]; specialist: string | undefined; files?: string[] }[] }
  | { kind: 'subtask-start'; subtask: number; purpose: CallPurpose; chain: string }
  | { kind: 'text-delta'; subtask: number; text: string }
  /** The subtask's text so far is void: its model failed mid-answer and the next one starts over. */
  | { kind: 'text-restart'; subtask: number; discardedChars: number }
  | ({ kind: 'attempt-end'; subtask: number | undefined } & RunAttempt)
  | { kind: 'review-end'; subtask: number; review: ReviewRecord; findings: RunFinding[] }
  | { kind: 'subtask-end'; subtask: number; status: SubtaskStatus; model: string | undefined; spend: Spend; durationMs: number; files: string[]; error: string | undefined }
  | { kind: 'file-write'; path: string; bytes: number; subtask: number }
  | ({ kind: 'file-propose' } & ProposedFile)
  | { kind: 'file-refuse'; path: string; reason: string; subtask: number }
  | { kind: 'cost-update'; spend: Spend; budgetUsd: number | null }
  | { kind: 'warning-add'; message: string }
  /** A gate of round `iteration` (0: the setup), named `gate` (absent from servers before gates). */
  | { kind: 'build-start'; iteration: number; command: string; gate?: string; gateKind?: 'setup' | 'build' | 'test' | 'lint' }
  | { kind: 'build-end'; iteration: number; passed: boolean; errors: number; durationMs: number; gate?: string; gateKind?: 'setup' | 'build' | 'test' | 'lint'; status?: 'passed' | 'failed' | 'timed-out' | 'no-tests' | 'flaky' }
  | { kind: 'synthesis-end'; text: string }
  | { kind: 'run-end'; status: RunStatus; exitCode: number; error: string | undefined; durationMs: number; spend: Spend }
  /** The run's transcript (`_transcript.jsonl`) grew to `cursor` bytes: `electrictown/getTranscript` from a client's cursor gets the new entries. */
  | { kind: 'transcript-append'; cursor: number };

export type RunEventKind = RunEvent['kind'];

export interface RunEventParams {
  runId: string;
  /** In order; a batch is sent at most every few tens of milliseconds. */
  events: RunEvent[];
}

/** Starts a run; answers at once with its id. Events follow as `electrictown/runEvent`. */
export namespace RunRequest {
  export const method = 'electrictown/run' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<RunParams, RunStarted, void>(method);
}

export namespace RunEventNotification {
  export const method = 'electrictown/runEvent' as const;
  export const messageDirection = MessageDirection.serverToClient;
  export const type = new NotificationType<RunEventParams>(method);
}

export interface BudgetReachedParams {
  runId: string;
  task: string;
  limitUsd: number;
  spentUsd: number;
  /** What the calls under way may still cost, at most. */
  reservedUsd: number;
  /** The worst case of the call that did not fit. */
  neededUsd: number;
  /** A new limit to offer. */
  suggestedUsd: number;
}

/**
 * The server asks the client whether to raise a run's budget, which the run has reached: the answer's
 * `raiseToUsd` (above `limitUsd`) goes on, anything else — or no answer within five minutes — stops it as
 * before. Sent only to a client that said `budgetPrompt` in its initialization options; the calls that
 * need the money wait for the answer, the ones under way go on.
 */
export namespace BudgetReachedRequest {
  export const method = 'electrictown/budgetReached' as const;
  export const messageDirection = MessageDirection.serverToClient;
  export const type = new RequestType<BudgetReachedParams, { raiseToUsd?: number }, void>(method);
}

export interface ApprovePlanParams {
  runId: string;
  task: string;
  subtasks: { index: number; text: string; dependsOn: number[]; specialist: string | undefined; files: string[] }[];
  /** The plan as editable text, one numbered line per subtask with its `[files: …]`, `[depends: …]` markers. */
  text: string;
  /** The most the workers and their reviews can cost (USD); null when a model they use has no price. */
  estimateUsd: number | null;
  /** A follow-up round's plan (Continue Run…): the round and its refinement; `task` is the run's. */
  round?: number;
  refinement?: string;
}

/**
 * After decompose, a run with `approvePlan` asks the client (one that said `planApproval` in its
 * initialization options) what to do with the plan: `approve`, `edit` with the plan as text (read like
 * the mayor's answer, then asked again), or `cancel` (the run ends cancelled, no worker started).
 * Anything else, or no answer within an hour, cancels.
 */
export namespace ApprovePlanRequest {
  export const method = 'electrictown/approvePlan' as const;
  export const messageDirection = MessageDirection.serverToClient;
  export const type = new RequestType<ApprovePlanParams, { decision: 'approve' | 'edit' | 'cancel'; text?: string }, void>(method);
}

/** What the user decided about a proposed file (`writeMode: "review"`). */
export type ProposalDecision = 'pending' | 'accepted' | 'discarded';

export interface DecideProposalsParams {
  runId: string;
  configPath?: string;
  /** Paths as in the run's `files.proposed` (relative to its output directory). */
  paths: string[];
  /** `pending` again: an accept the user undid, so the file waits for review once more. */
  decision: ProposalDecision;
  /** With `accepted`: only some of the proposal's hunks went in, the others were discarded in the diff. */
  partly?: boolean;
}

/**
 * The client tells the server what the user decided about proposed files; the server keeps it in the run
 * folder (`review.json`) and moves the witness's findings: on the proposal (the staged file) while a file
 * is pending, on the real file once accepted, nowhere once discarded. Answers every proposed path's
 * decision now. Applying the files is the client's job (`ProposedFile.staged` → `target`).
 */
export namespace DecideProposalsRequest {
  export const method = 'electrictown/decideProposals' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<DecideProposalsParams, { decisions: Record<string, ProposalDecision> }, void>(method);
}

/** A file an accept is about to write: what it holds before (null: no file) and the SHA-256 (hex) of what it will hold. */
export interface CheckpointFileParams {
  /** As in the run's `files.proposed` (relative to its output directory). */
  path: string;
  before: string | null;
  afterSha256: string;
}

export interface KeepCheckpointParams {
  runId: string;
  configPath?: string;
  files: CheckpointFileParams[];
}

/**
 * Before the client writes an accepted run's files into the project, the server keeps what they held in
 * the run folder (`checkpoint/`): the first accept of a file keeps its content from before the run; a
 * later one (another hunk, an accept after an Undo) only updates what the run put there. Answers the
 * paths kept.
 */
export namespace KeepCheckpointRequest {
  export const method = 'electrictown/keepCheckpoint' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<KeepCheckpointParams, { kept: string[] }, void>(method);
}

/** A file of an accepted run's checkpoint. */
export interface CheckpointFile {
  path: string;
  /** Absolute: the file in the project. */
  target: string;
  /** Absolute: its content from before the run, in the run folder; null: there was no file. */
  stored: string | null;
  /** SHA-256 (hex) of what the run's accept put in the file. */
  afterSha256: string;
}

/** An accepted run's checkpoint: the project's files as they were before the run's accept. */
export interface Checkpoint {
  runId: string;
  task: string;
  /** When the run's first file was accepted, ISO. */
  at: string;
  files: CheckpointFile[];
}

/** The checkpoints of the config's runs, newest accept first. */
export namespace ListCheckpointsRequest {
  export const method = 'electrictown/listCheckpoints' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ configPath?: string }, { checkpoints: Checkpoint[] }, void>(method);
}

/** What "Ask refinery to fix" (`electrictown.askRefinery`) answers. */
export interface AskRefineryResult {
  /** The refinery's file was applied (as one edit the user can undo). */
  applied: boolean;
  /** `unchanged`: the refinery gave the file back as it was; `no-file`: its answer held no usable file; `not-applied`: the editor refused the edit. */
  outcome: 'fixed' | 'unchanged' | 'no-file' | 'not-applied';
  message: string;
}

/** Stops a running run: model calls are aborted and `run.json` records `cancelled`. */
export namespace CancelRunRequest {
  export const method = 'electrictown/cancelRun' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ runId: string }, { cancelled: boolean }, void>(method);
}

export interface RunSummary {
  id: string;
  task: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string | undefined;
  folder: string;
  usd: number;
  unpricedAttempts: number;
  /** `running` in its record, but no process is running it: it died, and can be resumed. */
  interrupted: boolean;
}

/** Runs in the config's log folder, newest first. */
export namespace ListRunsRequest {
  export const method = 'electrictown/listRuns' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ configPath?: string; limit?: number }, RunSummary[], void>(method);
}

/** A run's record: live for a running run, else read from its `run.json`. */
export namespace GetRunRequest {
  export const method = 'electrictown/getRun' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ runId: string; configPath?: string }, RunRecord, void>(method);
}

/** What the config gives a run that is not told otherwise, for a client to show before it starts one. */
export interface RunDefaults {
  /** Absolute: the config file read. */
  configPath: string;
  /** `defaults.budget_usd`; null: the config sets no budget. */
  budgetUsd: number | null;
}

/** The config's run defaults; an error (as `electrictown/run` gives it) when there is no config or it has errors. */
export namespace RunDefaultsRequest {
  export const method = 'electrictown/runDefaults' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ configPath?: string }, RunDefaults, void>(method);
}

// ---- Transcripts ------------------------------------------------------------------------------------

/** What a model was asked, in short: never the whole prompt (it holds the project's files). */
export interface PromptSummary {
  messages: number;
  chars: number;
  /** The start of the last user message, on one line. */
  text: string;
}

/** The run as its record says now: sent with every transcript page, so each page brings the status up to date. */
export interface TranscriptHeader {
  runId: string;
  task: string;
  status: RunStatus;
  error: string | undefined;
  startedAt: string;
  endedAt: string | undefined;
  outputDir: string;
  subtasks: { index: number; text: string; status: SubtaskStatus; model: string | undefined; review: ReviewRecord | undefined; revisions: number; error: string | undefined }[];
  spend: Spend;
}

/** An attempt at a model, with what the provider said when it failed (redacted, one line). */
export type TranscriptAttempt = RunAttempt & { message?: string };

/** One entry of a run's transcript: what happened and what each agent said, in the order it happened. */
export type TranscriptEntry =
  | { kind: 'plan'; at: string; subtasks: { index: number; text: string; dependsOn: number[]; specialist: string | undefined; files: string[] }[] }
  /** One model call (every attempt of it, fallbacks included) and its answer. */
  | {
      kind: 'call';
      at: string;
      /** 1-based, in the order the calls ended. */
      seq: number;
      role: string;
      purpose: CallPurpose;
      subtask: number | undefined;
      /** The model that answered, as written in the config; undefined when none did. */
      model: string | undefined;
      prompt: PromptSummary;
      /** The answer; undefined when no model answered. */
      text: string | undefined;
      error: string | undefined;
      attempts: TranscriptAttempt[];
      durationMs: number;
      /** A witness's review: its score (0–10) and reasons, read from the answer. */
      review?: { score: number | undefined; reason: string };
    }
  | { kind: 'build'; at: string; iteration: number; gate: string | undefined; gateKind: 'setup' | 'build' | 'test' | 'lint' | undefined; command: string; status: string; passed: boolean; errors: number; durationMs: number; log: string | undefined; output?: string }
  | { kind: 'summary'; at: string; text: string };

export interface TranscriptParams {
  runId: string;
  configPath?: string;
  /** Where to go on from: 0 (the default) is the start; else a page's `cursor`. */
  cursor?: number;
  /** About this many bytes of entries per page (default 262144); an entry is never split. */
  maxBytes?: number;
}

export interface TranscriptPage {
  run: TranscriptHeader;
  entries: TranscriptEntry[];
  /** Where the next page starts; the same cursor again later gets what was added since. */
  cursor: number;
  /** More entries are stored past `cursor` now. */
  more: boolean;
  /** `log`: the run's `_transcript.jsonl`; `record`: a run from before it, rebuilt from run.json and the kept answers (one page, then cursor 1). */
  source: 'log' | 'record';
}

/**
 * A run's transcript, a page at a time: the task and plan, every model call with its prompt summary,
 * answer and attempts, the builds and the summary. For a running run, `transcript-append` run events
 * say when there is more past a cursor.
 */
export namespace GetTranscriptRequest {
  export const method = 'electrictown/getTranscript' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<TranscriptParams, TranscriptPage, void>(method);
}

export type ProviderModels = { provider: string; type: string; models: string[] } | { provider: string; type: string; error: { class: string; message: string } };

/** Every provider's models, each provider answering with its list or its error. */
export namespace ModelsRequest {
  export const method = 'electrictown/models' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ configPath?: string }, ProviderModels[], void>(method);
}

export interface CostRow {
  key: string;
  attempts: number;
  /** Attempts that produced the answer (the rest were retried, fell back, failed or were cancelled). */
  answered: number;
  inputTokens: number;
  /** Of the input, read from a provider's prompt cache. */
  cachedInputTokens: number;
  /** Of the input, written to a provider's prompt cache (Anthropic). */
  cacheWriteTokens: number;
  /** cachedInputTokens / inputTokens, 0 with no input. */
  cachedShare: number;
  outputTokens: number;
  /** The priced part only; `unpricedAttempts` says how much is missing from it. */
  usd: number;
  /** What the prompt cache saved against sending all the input uncached (priced attempts only); usd + cacheSavedUsd is the cost without caching. */
  cacheSavedUsd: number;
  unpricedAttempts: number;
  /** Attempts whose counts are our estimate (streams cut short). */
  estimatedAttempts: number;
  /** Attempts under way when their process was killed: what they consumed is unknown (absent: none). */
  interruptedAttempts?: number;
}

export interface CostsParams {
  configPath?: string;
  by?: 'role' | 'provider' | 'model' | 'run';
  /** ISO time; only attempts from then on. */
  since?: string;
}

/** The cost ledger's totals, as `et costs --json` gives them. */
export namespace CostsRequest {
  export const method = 'electrictown/costs' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<CostsParams, { ledger: string; rows: CostRow[]; total: CostRow }, void>(method);
}

export interface ReviewFileParams {
  /** A `file:` URI. */
  uri: string;
  /** The text as the editor has it; else the file is read from disk. */
  text?: string;
}

export interface ReviewFileResult {
  /** 0–10, or null when the witness gave none. */
  score: number | null;
  reason: string;
  /** The model that reviewed, as written in the config. */
  model: string;
  findings: number;
}

/**
 * The witness reviews one file (`et review` for the editor): its findings replace the file's witness
 * diagnostics, published as `textDocument/publishDiagnostics`.
 */
export namespace ReviewFileRequest {
  export const method = 'electrictown/reviewFile' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<ReviewFileParams, ReviewFileResult, void>(method);
}

// ---- Sessions ----------------------------------------------------------------------------------------

/** A persistent worker conversation; its files are `{log_dir}/sessions/<id>/`. */
export interface SessionInfo {
  id: string;
  role: string;
  /** Where its file blocks are written; null for none. */
  dir: string | null;
  config: string;
  createdAt: string;
  updatedAt: string;
  /** `interrupted`: its turn's process died (shown so; never stored). */
  status: 'idle' | 'running' | 'killed' | 'failed' | 'interrupted';
  pid: number | null;
  turns: number;
  usd: number;
  unpricedAttempts: number;
  error: string | null;
}

/** Starts a session; its first turn runs in the background. */
export namespace SessionSpawnRequest {
  export const method = 'electrictown/session/spawn' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ prompt: string; role?: string; dir?: string; configPath?: string }, SessionInfo, void>(method);
}

/** The next message; its answer runs in the background. */
export namespace SessionSendRequest {
  export const method = 'electrictown/session/send' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ id: string; text: string; configPath?: string }, SessionInfo, void>(method);
}

export namespace SessionListRequest {
  export const method = 'electrictown/session/list' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ configPath?: string }, SessionInfo[], void>(method);
}

/** A session's state, transcript and streamed output so far. */
export namespace SessionGetRequest {
  export const method = 'electrictown/session/get' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ id: string; configPath?: string }, { session: SessionInfo; transcript: { role: string; content: string }[]; output: string }, void>(method);
}

export namespace SessionKillRequest {
  export const method = 'electrictown/session/kill' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ id: string; configPath?: string }, SessionInfo, void>(method);
}

// ---- VS Code's language models (`type: vscode` providers) ----------------------------------------

/** Which of the editor's models answers: `vscode.lm.selectChatModels`' selector (every field optional). */
export interface LanguageModelSelector {
  vendor?: string;
  family?: string;
  id?: string;
  version?: string;
}

export interface LanguageModelChatParams {
  /** Chosen by the server; the chunks of this request's answer carry it. */
  requestId: string;
  /** The model as the config names it (`copilot/gpt-4o`), for messages. */
  model: string;
  selector: LanguageModelSelector;
  /** The editor's API has no system role: the client folds system messages into user ones. */
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  maxTokens?: number;
  temperature?: number;
  /** Shown by the editor when it asks the user to let electrictown use the model. */
  justification: string;
}

/**
 * Why the editor could not answer: `unsupported` (this editor has no language model API),
 * `not-found` (no model matches the selector), `no-permissions` (the user did not consent),
 * `blocked` (the model refuses this extension for now), `failed` (anything else, e.g. the model's own error).
 */
export type LanguageModelFailureCode = 'unsupported' | 'not-found' | 'no-permissions' | 'blocked' | 'failed';

export type LanguageModelChatResult =
  | {
      outcome: 'ok';
      /** The whole answer (the chunks were its parts, for showing it as it came). */
      text: string;
      /** The model that answered: `vendor/family/id`. */
      answeredBy: string;
      /** The model's tokenizer's count of the prompt and of the answer (`countTokens`): the editor does not report usage. */
      inputTokens?: number;
      outputTokens?: number;
    }
  | { outcome: 'error'; code: LanguageModelFailureCode; message: string };

/**
 * The server asks the client to run a chat request on one of the editor's language models
 * (`vscode.lm`). The answer's text streams as `electrictown/lm/chatChunk` notifications with the same
 * `requestId`, then the result ends it. `$/cancelRequest` cancels the model's request. Sent only to a
 * client that said `languageModels` in its initialization options.
 */
export namespace LanguageModelChatRequest {
  export const method = 'electrictown/lm/chat' as const;
  export const messageDirection = MessageDirection.serverToClient;
  export const type = new RequestType<LanguageModelChatParams, LanguageModelChatResult, void>(method);
}

export interface LanguageModelChatChunkParams {
  requestId: string;
  /** The next part of the answer. */
  text: string;
}

/** A part of an `electrictown/lm/chat` answer, as the editor's model streams it. */
export namespace LanguageModelChatChunkNotification {
  export const method = 'electrictown/lm/chatChunk' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new NotificationType<LanguageModelChatChunkParams>(method);
}

// ---- Pre-flight ----------------------------------------------------------------------------------------

/** One role's first model, its provider, and whether that provider can be used now. Never a key. */
export interface PreflightRole {
  role: string;
  /** The role's first model as written in the config: an alias or `provider/model`; null when it has none. */
  model: string | null;
  provider: string | null;
  providerType: string | null;
  /** Where the provider is (scheme, host, path), without credentials. */
  endpoint: string | null;
  /** `none`: the provider is configured without a key (a local Ollama). */
  key: 'set' | 'unset' | 'none';
  /** The environment variables the provider reads that are not set. */
  unsetVariables: string[];
  /** Whether the endpoint answered; null when it was not asked (its variables are unset, or the role has no model). */
  reachable: boolean | null;
  /** Why the role cannot run as configured, if it cannot. */
  problem: string | null;
}

/** Something to fix before a run, said once for all the roles it affects. */
export interface PreflightProblem {
  kind: 'no-config' | 'config-errors' | 'no-model' | 'unset-variable' | 'unreachable' | 'model-missing';
  message: string;
  /** For `unset-variable`: the variable to set (Set API Key stores it). */
  variable?: string;
  provider?: string;
  roles: string[];
}

export interface PreflightResult {
  /** The config checked; null when none was found. */
  configPath: string | null;
  /** Where a config was looked for, when none was found. */
  tried: string[];
  roles: PreflightRole[];
  /** Empty when a run can start as configured. */
  problems: PreflightProblem[];
  /** How long the check took, in ms. */
  elapsedMs: number;
}

/**
 * Before a run: is there a config, and can each role's first model be reached? A missing key variable
 * is found without a call; each distinct endpoint is asked for its model list once (in parallel, 2 s
 * at most), and an answer is remembered for a minute.
 */
export namespace PreflightRequest {
  export const method = 'electrictown/preflight' as const;
  export const messageDirection = MessageDirection.clientToServer;
  export const type = new RequestType<{ configPath?: string }, PreflightResult, void>(method);
}
