// The run engine over the protocol (server.ts routes the methods here, loading this module on first
// use): `electrictown/run` starts a run and answers at once with its id;
// its events go out in batches as `electrictown/runEvent`, and as standard `$/progress` for clients
// that only speak LSP; `cancelRun`, `listRuns`, `getRun`, `getTranscript`, `models` and `costs` answer about runs and
// spending. Files are written with one `workspace/applyEdit` when the client can apply it, else to disk.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ErrorCodes, ResponseError, type ClientCapabilities, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { ConfigLoadError } from '../config/config-load-error';
import { CONFIG_FILE_NAME, discoverConfig } from '../config/discover';
import type { Environment } from '../config/env';
import { ledgerPath, loadConfig, logDirectory } from '../config/load-config';
import { configCosts } from '../cost/config-costs';
import { LedgerWriter } from '../cost/ledger-writer';
import { sharedHealth } from '../router/health-registry';
import { ModelRouter } from '../router/model-router';
import type { ChatMessage } from '../providers/language-model';
import type { ClientLanguageModels } from '../providers/vscode/client-language-models';
import { fixedText } from '../edits/fixed-text';
import { boundFindings } from '../run/bound-findings';
import { refineryFixMessages, reviewFileMessages } from '../run/messages';
import { parseReview } from '../run/review';
import { listAllModels } from '../cli/models-report';
import { RunEventNotification, type AskRefineryResult, type CostsParams, type DecideProposalsParams, type ReviewFileParams, type ReviewFileResult, type RunEvent, type RunDefaults, type RunParams, type RunRecord, type RunStarted, NO_CONFIG_REASON, type KeepCheckpointParams, type TranscriptParams } from '../protocol';
import { ChainError, chainForRole } from '../router/chain';
import { listSessions, SessionFiles, SessionNotFoundError } from '../session/session-store';
import { createSession, detachedTurns, killSession, sendMessage, SessionError, sessionInfo, type TurnStarter } from '../session/sessions';
import { startRun } from '../run/engine';
import { EventBatcher } from '../run/event-batcher';
import { prepareResume, prepareRun, ResumeError } from '../run/prepare-run';
import { prepareFollowUp } from '../run/follow-up/prepare-follow-up';
import { FollowUpError } from '../run/follow-up/round-record';
import { RunOptionsError } from '../run/run-options';
import { listRuns, readRun, RunNotFoundError, runSummary } from '../run/run-store';
import { stagingWriter } from '../run/stage-files';
import { writeProducedFiles } from '../run/write-files';
import { diffKeepingWriter } from '../run/kept-diffs';
import { readTranscriptPage, storedTranscriptPage, TranscriptGoneError } from '../transcript/read-transcript';
import { askClientToRaise } from './budget-prompt';
import { askClientToApprove } from './plan-prompt';
import { ReviewService } from './review-service';
import { findingDiagnostic } from './witness-diagnostics';
import { endPosition, workspaceEditWriter } from './workspace-edit-writer';
import type { AskRefineryArguments } from './refinery-actions';

export interface RunServiceContext {
  /** A document the client has open: its text may be newer than the disk's. */
  openDocument(uri: string): { getText(): string; version: number } | undefined;
  /** The first workspace folder, where relative paths and the default config are found. */
  root(): string;
  /** How to run this `et` again, for sessions' background turns. */
  self: readonly string[] | undefined;
  environment(): Environment;
  capabilities(): ClientCapabilities;
  /** False in an editor's untrusted workspace: no build runs there. */
  workspaceTrusted(): boolean;
  /** The client answers `electrictown/budgetReached`. */
  budgetPrompt(): boolean;
  /** The client answers `electrictown/approvePlan`. */
  planApproval(): boolean;
  /** The client shows runs' progress itself: no `$/progress` of the server's own. */
  showsRunProgress(): boolean;
  /** How `type: vscode` providers reach the editor's models (the client's, when it declared `languageModels`). */
  clientModels(): ClientLanguageModels;
}

interface LiveRun {
  controller: AbortController;
  record: RunRecord;
  finished: Promise<RunRecord>;
}

const DEFAULT_LIST_LIMIT = 50;

/** A failure the client can act on, as a JSON-RPC error with the message the CLI would print. */
function toResponseError(error: unknown): unknown {
  if (error instanceof RunOptionsError) return new ResponseError(ErrorCodes.InvalidParams, error.message, { field: error.field });
  if (error instanceof ConfigLoadError) return new ResponseError(ErrorCodes.InvalidParams, `${error.message} (${error.hint})`);
  if (error instanceof ChainError || error instanceof RunNotFoundError || error instanceof TranscriptGoneError || error instanceof ResumeError || error instanceof FollowUpError || error instanceof SessionError || error instanceof SessionNotFoundError) return new ResponseError(ErrorCodes.InvalidParams, error.message);
  return error;
}

function answering<P, R>(handler: (params: P) => Promise<R>): (params: P) => Promise<R> {
  return (params) =>
    handler(params).catch((error: unknown) => {
      throw toResponseError(error);
    });
}

export function canApplyFileEdits(capabilities: ClientCapabilities): boolean {
  const workspace = capabilities.workspace;
  return workspace?.applyEdit === true && workspace.workspaceEdit?.documentChanges === true && (workspace.workspaceEdit.resourceOperations ?? []).includes('create');
}

export class RunService {
  private readonly runs = new Map<string, LiveRun>();
  private readonly reviews: ReviewService;

  constructor(
    private readonly connection: Connection,
    private readonly context: RunServiceContext,
  ) {
    this.reviews = new ReviewService({
      send: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      logDirectory: (configPath) => this.logDirectory(configPath),
      liveRecord: (runId) => this.runs.get(runId)?.record,
      log: (message) => connection.console.warn(message),
    });
  }

  readonly decideProposals = answering((params: DecideProposalsParams) => this.reviews.decideProposals(params));
  readonly keepCheckpoint = answering((params: KeepCheckpointParams) => this.reviews.keepCheckpoint(params));
  readonly listCheckpoints = answering((params: { configPath?: string }) => this.reviews.listCheckpoints(params?.configPath));

  /** The latest runs' findings, published again: a new server shows what the last one did. */
  async republishFindings(configPath: string | undefined): Promise<void> {
    try {
      await this.reviews.republish(configPath);
    } catch (error) {
      // No config, or no log folder yet: there is nothing to show.
      if (!(error instanceof ResponseError || error instanceof ConfigLoadError)) this.connection.console.warn(`past runs' findings were not published again: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  readonly run = answering((params: RunParams) => this.start(params));

  async cancelRun({ runId }: { runId: string }): Promise<{ cancelled: boolean }> {
    const live = this.runs.get(runId);
    if (!live || live.controller.signal.aborted) return { cancelled: false };
    live.controller.abort(new Error('cancelled by the client'));
    return { cancelled: true };
  }

  readonly listRuns = answering(async (params: { configPath?: string; limit?: number }) => this.list(params.configPath, params.limit ?? DEFAULT_LIST_LIMIT));

  readonly getRun = answering(async (params: { runId: string; configPath?: string }) => this.runs.get(params.runId)?.record ?? readRun(await this.logDirectory(params.configPath), params.runId));

  readonly runDefaults = answering(async (params: { configPath?: string }): Promise<RunDefaults> => {
    const file = this.configFile(params.configPath);
    const config = await loadConfig(file, this.context.environment());
    return { configPath: file, budgetUsd: config.defaults?.budget_usd ?? null };
  });

  /** A running run's transcript with its record as it is now in memory; a past one's from its folder. */
  readonly getTranscript = answering(async ({ runId, configPath, cursor, maxBytes }: TranscriptParams) => {
    const live = this.runs.get(runId)?.record;
    return live ? readTranscriptPage(live.folder, live, cursor, maxBytes) : storedTranscriptPage(await this.logDirectory(configPath), runId, cursor, maxBytes);
  });

  readonly models = answering(async (params: { configPath?: string }) => listAllModels(this.configFile(params.configPath), this.context.environment()));

  readonly costs = answering(async (params: CostsParams) => {
    const since = params.since === undefined ? undefined : new Date(params.since);
    if (since !== undefined && Number.isNaN(since.getTime())) throw new ResponseError(ErrorCodes.InvalidParams, `since: "${params.since}" is not a date and time`);
    const { ledger, rows, total } = await configCosts(this.configFile(params.configPath), this.context.environment(), params.by ?? 'role', since);
    return { ledger, rows, total };
  });

  /**
   * "Ask refinery to fix": the file (as the editor has it) and the finding to the refinery; its answer
   * replaces the file's text in one edit the user can undo. On a pending proposal (its staged file) the
   * proposal is what changes, never the file in the project; the refinery is shown the file by its
   * real name. A finding fixed so is not shown again.
   */
  readonly askRefinery = answering(async ({ uri, diagnostic, text, version }: AskRefineryArguments): Promise<AskRefineryResult> => {
    // The argument's types were checked before it got here (request-params.ts); what they mean is checked here.
    if (!uri.startsWith('file:')) throw new ResponseError(ErrorCodes.InvalidParams, 'uri: a file: URI is needed');
    const file = fileURLToPath(uri);
    const proposal = this.reviews.proposalAt(uri);
    // The editor's text wins: a generated file may be unsaved, or edited since it was written.
    const open = text !== undefined ? { getText: () => text, version: version ?? null } : this.context.openDocument(uri);
    const content = open?.getText() ?? (await readFile(file, 'utf8'));
    const severity = ['', 'error', 'warning', 'info', 'hint'][diagnostic.severity ?? 1];
    const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
    const finding = `${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}: ${severity}: ${message}`;
    const answer = await this.askAboutFile(proposal?.target ?? file, 'refinery', (name, systemPrompt) => refineryFixMessages(name, content, finding, systemPrompt));
    const fixed = fixedText(answer.text, answer.name, content);
    if (!fixed.ok) return { applied: false, outcome: 'no-file', message: `the refinery (${answer.model}) ${fixed.reason}` };
    if (fixed.content === content) return { applied: false, outcome: 'unchanged', message: `the refinery (${answer.model}) changed nothing` };
    const edit = { documentChanges: [{ textDocument: { uri, version: open?.version ?? null }, edits: [{ range: { start: { line: 0, character: 0 }, end: endPosition(content) }, newText: fixed.content }] }] };
    const result = await this.connection.workspace.applyEdit({ label: `electrictown refinery: ${message}`, edit });
    if (!result.applied) return { applied: false, outcome: 'not-applied', message: `the editor did not apply the fix${result.failureReason ? `: ${result.failureReason}` : ''}` };
    const data: unknown = diagnostic.data;
    const runId = typeof data === 'object' && data !== null && 'runId' in data ? data.runId : undefined;
    if (typeof runId === 'string') await this.reviews.findingFixed(runId, uri, diagnostic).catch((error: unknown) => this.connection.console.warn(`the fixed finding could not be recorded: ${error instanceof Error ? error.message : String(error)}`));
    return { applied: true, outcome: 'fixed', message: `fixed by ${answer.model}${proposal ? ' (in the proposal)' : ''}` };
  });

  /** The witness on one file, as `et review` does; its findings become the file's diagnostics. */
  readonly reviewFile = answering(async ({ uri, text }: ReviewFileParams): Promise<ReviewFileResult> => {
    if (!uri.startsWith('file:')) throw new ResponseError(ErrorCodes.InvalidParams, 'uri: a file: URI is needed');
    const file = fileURLToPath(uri);
    const content = text ?? this.context.openDocument(uri)?.getText() ?? (await readFile(file, 'utf8'));
    const answer = await this.askAboutFile(file, 'witness', (name, systemPrompt) => reviewFileMessages(name, content, systemPrompt));
    const review = parseReview(answer.text);
    // The witness may name the file as it was shown or by its base name; findings on other files are dropped.
    const named = review.findings.filter((finding) => finding.file === answer.name || path.basename(finding.file) === path.basename(answer.name));
    // Kept to the file's lines and the limits: a witness cannot flood the editor.
    const own = boundFindings(named, () => content.split('\n').length).kept;
    void this.connection.sendDiagnostics({ uri, diagnostics: own.map((finding) => findingDiagnostic(finding)) });
    return { score: review.score ?? null, reason: review.reason, model: answer.model, findings: own.length };
  });

  /**
   * One call to a role about a file, on the config nearest the file; its cost goes to that config's
   * ledger. `name` is the file as the model is shown it: relative to the workspace.
   */
  private async askAboutFile(file: string, role: 'refinery' | 'witness', messages: (name: string, systemPrompt: string | undefined) => ChatMessage[]): Promise<{ name: string; text: string; model: string }> {
    const configFile = this.configNear(file);
    const environment = this.context.environment();
    const config = await loadConfig(configFile, environment);
    const ledger = new LedgerWriter(ledgerPath(configFile, config, environment), (error) => this.connection.console.error(`the cost ledger could not be written: ${String(error)}`));
    try {
      const logs = logDirectory(configFile, config, environment);
      const health = sharedHealth(logs, (message) => this.connection.console.warn(message));
      const router = new ModelRouter({ config, environment, ledger, health, logDirectory: logs, clientModels: this.context.clientModels() });
      const chain = router.chainFor({ role });
      const name = path.relative(this.context.root(), file).split(path.sep).join('/');
      const routed = await router.request({ target: { role }, messages: messages(name, chain.systemPrompt), signal: new AbortController().signal }, chain);
      return { name, text: routed.result.text, model: routed.entry.reference };
    } finally {
      await ledger.close();
    }
  }

  // ---- sessions: the same files and background turns as `et session` ----

  private async sessionFiles(id: string, configPath: string | undefined): Promise<SessionFiles> {
    return SessionFiles.open(await this.logDirectory(configPath), id);
  }

  private turns(configPath: string | undefined): TurnStarter {
    const self = this.context.self;
    if (!self) throw new ResponseError(ErrorCodes.InternalError, 'this server cannot start a background turn (no path to itself)');
    return detachedTurns(self, this.configFile(configPath), process.env, this.context.root());
  }

  readonly sessionSpawn = answering(async (params: { prompt: string; role?: string; dir?: string; configPath?: string }) => {
    if (params.prompt.trim() === '') throw new ResponseError(ErrorCodes.InvalidParams, 'prompt is empty: say what the session is for');
    const file = this.configFile(params.configPath);
    const environment = this.context.environment();
    const config = await loadConfig(file, environment);
    const role = params.role ?? 'polecat';
    chainForRole(config, role);
    const state = await createSession(logDirectory(file, config, environment), { role, dir: params.dir, prompt: params.prompt, configFile: file, baseDirectory: this.context.root() }, this.turns(params.configPath));
    return sessionInfo(state);
  });

  readonly sessionSend = answering(async (params: { id: string; text: string; configPath?: string }) => sessionInfo(await sendMessage(await this.sessionFiles(params.id, params.configPath), params.text, this.turns(params.configPath))));

  readonly sessionList = answering(async (params: { configPath?: string }) => (await listSessions(await this.logDirectory(params.configPath))).map(sessionInfo));

  readonly sessionGet = answering(async (params: { id: string; configPath?: string }) => {
    const files = await this.sessionFiles(params.id, params.configPath);
    return { session: sessionInfo(await files.state()), transcript: await files.transcript(), output: await files.output() };
  });

  readonly sessionKill = answering(async (params: { id: string; configPath?: string }) => sessionInfo(await killSession(await this.sessionFiles(params.id, params.configPath))));

  /** Cancels every run and waits until their records are written: the server is going away. */
  async stopAll(): Promise<void> {
    for (const live of this.runs.values()) live.controller.abort(new Error('the server is shutting down'));
    await Promise.all([...this.runs.values()].map((live) => live.finished));
  }

  private configFile(configPath: string | undefined): string {
    const environment = this.context.environment();
    const discovery = discoverConfig({ explicitPath: configPath, cwd: this.context.root(), home: environment.HOME, exists: existsSync });
    if (!discovery.found) throw new ResponseError(ErrorCodes.InvalidParams, `no config found; tried ${discovery.tried.join(', ')}`, { reason: NO_CONFIG_REASON });
    return discovery.path;
  }

  /** The config nearest a file (in its folder or the closest above it), else the workspace's. */
  private configNear(file: string): string {
    for (let directory = path.dirname(file); ; directory = path.dirname(directory)) {
      const candidate = path.join(directory, CONFIG_FILE_NAME);
      if (existsSync(candidate)) return candidate;
      if (path.dirname(directory) === directory) return this.configFile(undefined);
    }
  }

  /** The config, or undefined when there is none (a run resumed from its folder needs none). */
  private foundConfigFile(configPath: string | undefined): string | undefined {
    try {
      return this.configFile(configPath);
    } catch {
      return undefined;
    }
  }

  private async logDirectory(configPath: string | undefined): Promise<string> {
    const file = this.configFile(configPath);
    const environment = this.context.environment();
    return logDirectory(file, await loadConfig(file, environment), environment);
  }

  private async list(configPath: string | undefined, limit: number) {
    const stored = await listRuns(await this.logDirectory(configPath), limit);
    // A running run's record is fresher in memory than on disk.
    return stored.map((summary) => {
      const live = this.runs.get(summary.id);
      return live ? runSummary(live.record) : summary;
    });
  }

  private async start(params: RunParams): Promise<RunStarted> {
    const { connection, context } = this;
    const { task, configPath, writeMode, workDoneToken, resume, continueRunId, ...given } = params;
    const canApply = canApplyFileEdits(context.capabilities());
    if (writeMode === 'workspaceEdit' && !canApply) throw new ResponseError(ErrorCodes.InvalidParams, 'writeMode: this client cannot apply workspace edits that create files; use "disk"');
    const onLedgerError = (error: unknown) => connection.console.error(`the cost ledger could not be written: ${error instanceof Error ? error.message : String(error)}`);
    const onWarning = (message: string) => connection.console.warn(message);
    const found = { configFile: this.foundConfigFile(configPath), baseDirectory: context.root(), environment: context.environment(), onLedgerError, onWarning, budgetUsd: given.budgetUsd, clientModels: context.clientModels() };
    const prepared =
      continueRunId !== undefined
        ? await prepareFollowUp({ run: continueRunId, refinement: task, iterate: given.iterate, approvePlan: given.approvePlan, ...found })
        : resume === undefined
          ? await prepareRun({ configFile: this.configFile(configPath), task, flags: given, baseDirectory: context.root(), environment: context.environment(), onLedgerError, onWarning, clientModels: context.clientModels() })
          : await prepareResume({ run: resume, ...found });
    const { id } = prepared.input;
    const { flags } = prepared.input.settings;
    const refusal = this.refusal(id, flags.iterate === true, writeMode);
    if (refusal) {
      await prepared.ledger.close();
      throw new ResponseError(ErrorCodes.InvalidParams, refusal);
    }
    // A resumed run proposes its files anew, each waiting for review again. A follow-up round forgets
    // the decisions itself, once its plan is approved (a round cancelled at its plan leaves them).
    const forgotten = resume === undefined ? Promise.resolve() : this.reviews.forgetDecisions(prepared.input.folder.directory).catch(() => undefined);
    const controller = new AbortController();
    const progress = new RunProgress(prepared.input.settings.task);
    const batcher = new EventBatcher((events) => void connection.sendNotification(RunEventNotification.type, { runId: id, events }));
    const mode = flags.iterate ? 'disk' : (writeMode ?? (canApply ? 'workspaceEdit' : 'disk'));
    const writers = { disk: writeProducedFiles, workspaceEdit: workspaceEditWriter(connection, `electrictown run ${id}`), review: stagingWriter(prepared.input.folder.directory) };
    const started = startRun(prepared.input, {
      router: prepared.router,
      writeFiles: diffKeepingWriter(writers[mode], prepared.input.folder.directory),
      reviewsEveryFile: mode === 'review',
      emit: (event) => {
        batcher.push(event);
        progress.update(event);
      },
      signal: controller.signal,
      askToRaiseBudget: context.budgetPrompt() ? (question) => askClientToRaise(connection, { runId: id, task: prepared.input.settings.task, ...question }) : undefined,
      approvePlan: context.planApproval() ? (request) => askClientToApprove(connection, request) : undefined,
    });
    const finished = started.finished
      .then(async (record) => {
        await forgotten;
        await this.reviews.runEnded(record).catch((error: unknown) => connection.console.warn(`the run's findings were not published: ${error instanceof Error ? error.message : String(error)}`));
        return record;
      })
      .finally(async () => {
        this.runs.delete(id);
        await prepared.ledger.close();
      });
    this.runs.set(id, { controller, record: started.record, finished });
    void this.attachProgress(progress, workDoneToken, controller);
    return { runId: id, folder: path.resolve(prepared.input.folder.directory) };
  }

  /** Why a prepared run may not start here, if it may not. */
  private refusal(id: string, iterate: boolean, writeMode: RunParams['writeMode']): string | undefined {
    if (iterate && !this.context.workspaceTrusted()) return 'iterate: this workspace is not trusted, so no build command runs in it; trust the workspace to build';
    if (this.runs.has(id)) return `run ${id} is running already`;
    // The build reads the files from disk, so with `iterate` they are written there.
    if (writeMode !== undefined && writeMode !== 'disk' && iterate) return `writeMode: with iterate, files are written to disk for the build to read; use "disk", not "${writeMode}"`;
    return undefined;
  }

  /** The client's own progress token, else one we create when the client supports it. */
  private async attachProgress(progress: RunProgress, token: RunParams['workDoneToken'], controller: AbortController): Promise<void> {
    const { window } = this.connection;
    if (token !== undefined) return progress.attach(window.attachWorkDoneProgress(token));
    if (this.context.capabilities().window?.workDoneProgress !== true || this.context.showsRunProgress()) return;
    try {
      const reporter = await window.createWorkDoneProgress();
      reporter.token.onCancellationRequested(() => controller.abort(new Error('cancelled from the progress notification')));
      progress.attach(reporter);
    } catch {
      // No progress UI: the run goes on, reported by its events.
    }
  }
}

/** `$/progress` for a run: the phase, then subtasks done out of the plan's. */
class RunProgress {
  private reporter: WorkDoneProgressReporter | undefined;
  private total = 0;
  private done = 0;
  private message = 'starting';
  private ended = false;

  constructor(private readonly task: string) {}

  attach(reporter: WorkDoneProgressReporter): void {
    if (this.ended) return;
    this.reporter = reporter;
    reporter.begin(`electrictown: ${this.task.split('\n')[0].slice(0, 60)}`, this.percentage(), this.message, true);
  }

  private percentage(): number {
    return this.total === 0 ? 0 : Math.round((this.done / this.total) * 100);
  }

  update(event: RunEvent): void {
    if (event.kind === 'phase-start') this.message = event.phase;
    else if (event.kind === 'plan-ready') this.total = event.subtasks.length;
    else if (event.kind === 'subtask-end') this.done++;
    else if (event.kind === 'run-end') {
      this.ended = true;
      this.reporter?.done();
      return;
    } else return;
    this.reporter?.report(this.percentage(), event.kind === 'subtask-end' ? `${this.done}/${this.total} subtasks` : this.message);
  }
}
