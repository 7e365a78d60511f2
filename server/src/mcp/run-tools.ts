// The run tools: `run` starts one (or puts it in line) and answers with its id at once; `run_status`
// says where it is, waiting for its end up to `wait_seconds` while it sends progress; `run_result`
// gives what it made; `cancel_run` stops it; `list_runs` lists them. A run is found by its id in the
// config's run folders, so a server started after a reconnect knows the runs of the one before.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CliError } from '../cli/context';
import { realExisting } from '../run/containment';
import { newRunId } from '../run/run-folder';
import { loadRunResult } from '../run/run-result';
import { findRunFolder, isInterrupted, listRuns, processAlive, readRecordFile, RunNotFoundError } from '../run/run-store';
import { allowedPlaces, OUTSIDE_HINT, placeRefusal } from './allowed-places';
import { configFileOf, loadWorkspace, type LoadedWorkspace, type McpContext } from './mcp-context';
import { progressReporter, type ToolExtra } from './progress';
import { runFlagsOf, type ContinueArguments, type RunArguments } from './run-arguments';
import { refusalToRefine } from '../run/follow-up/round-record';
import { failureOf, RunLauncher, type Launched } from './run-launcher';
import { isSettled, progressLine, recordStatus, ticketStatus, type RunStatusView } from './run-status';
import { readRunLog, readTicket, type RunTicket } from './run-tickets';
import { jsonResult } from './tool-result';

/** How often a waiting `run_status` reads the record (it is rewritten at most every 50 ms). */
const POLL_MS = 200;
/** How long `continue_run` waits for the process of a run that ended to exit. */
const RELEASE_WAIT_MS = 10_000;
/** How long `cancel_run` waits for the run to record that it stopped. */
const CANCEL_WAIT_SECONDS = 10;

export class RunTools {
  private readonly launcher: RunLauncher;
  /** Run folders found, by id: a folder never moves. */
  private readonly folders = new Map<string, string>();

  constructor(
    private readonly context: McpContext,
    /** The client's roots' folders, or undefined when it gives none. */
    private readonly roots: () => Promise<string[] | undefined>,
  ) {
    const self = context.self ?? [];
    this.launcher = new RunLauncher({ self, environment: context.environment, cwd: context.cwd, maxRuns: context.maxRuns, warn: context.warn });
  }

  get runs(): RunLauncher {
    return this.launcher;
  }

  /** Refuses a path outside the workspace (or the client's roots) unless the config allows it. */
  async refuseOutside(what: string, given: string, absolute: string, allowOutside: boolean | undefined): Promise<void> {
    if (allowOutside === true) return;
    const refusal = placeRefusal(what, given, await realExisting(absolute), await allowedPlaces(this.context.cwd, await this.roots()));
    if (refusal !== undefined) throw new CliError(refusal, OUTSIDE_HINT);
  }

  async run(args: RunArguments, extra: ToolExtra): Promise<CallToolResult> {
    if (this.context.self === undefined) throw new CliError('this server cannot start a run: it does not know how to run et again');
    const progress = progressReporter(extra);
    const configFile = configFileOf(this.context);
    const flags = runFlagsOf(args);
    // Every check `et run` makes, here, so a bad argument is this call's error, queued or not. Loaded
    // on first use, with the router it brings (and its HTTP client), so the server starts sooner.
    const { checkRun } = await import('../run/prepare-run');
    const checked = await checkRun({ configFile, task: args.task, flags, baseDirectory: this.context.cwd, environment: this.context.environment });
    const outputDir = checked.settings.outputDirectory;
    await this.refuseOutside('output_dir', args.output_dir ?? '.', outputDir, checked.config.defaults?.mcp_allow_outside);
    const id = newRunId();
    const run = { id, task: checked.settings.task, outputDir, budgetUsd: checked.settings.flags.budgetUsd };
    // Said as soon as the run is taken; the answer waits for its folder.
    const accepted = (launched: Launched) => progress(progressLine(ticketStatus(run, launched.status, launched.status === 'queued' ? launched.position : null, null)));
    const request = { id, task: run.task, budgetUsd: run.budgetUsd, configFile, logDirectory: checked.logDirectory, flags: { ...flags, outputDir }, askedAt: new Date().toISOString() };
    const launched = await this.launcher.launch(request, accepted);
    // The client gave up on the call before it had the id: it cannot follow the run, so the run stops.
    if (extra.signal.aborted) await this.cancel(id, extra);
    return jsonResult({
      runId: id,
      status: launched.status,
      position: launched.status === 'queued' ? launched.position : null,
      folder: launched.status === 'running' ? launched.folder : null,
      outputDir,
      next: 'follow it with run_status (wait_seconds to wait for its end), then collect it with run_result',
    });
  }

  /** A refinement of a finished run: a new round of it in an `et run --resume ID "refinement"` process, answered at once. */
  async continueRun(args: ContinueArguments, extra: ToolExtra): Promise<CallToolResult> {
    if (this.context.self === undefined) throw new CliError('this server cannot continue a run: it does not know how to run et again');
    const refinement = args.refinement.trim();
    if (refinement === '') throw new CliError('the refinement is empty: say what to change');
    const loaded = await loadWorkspace(this.context);
    const id = args.run_id;
    // The CLI's checks, here, so a run that cannot be refined is this call's error.
    if (this.launcher.position(id) !== undefined) throw new CliError(`run ${id} waits in line here; refine it once it has ended`, 'follow it with run_status (wait_seconds)');
    // A run that recorded its end may still be closing its process for a moment.
    if (!(await this.launcher.released(id, RELEASE_WAIT_MS))) throw new CliError(`run ${id} is still running here; refine it once it has ended`, 'follow it with run_status (wait_seconds)');
    const folder = await this.folderOf(loaded.logDirectory, id);
    if (folder === undefined) throw new RunNotFoundError(id, loaded.logDirectory);
    const record = await readRecordFile(folder);
    const refusal = refusalToRefine(record, processAlive);
    if (refusal !== undefined) throw new CliError(refusal);
    const progress = progressReporter(extra);
    const run = { id, task: refinement, outputDir: record.outputDir, budgetUsd: args.budget_usd ?? record.flags.budgetUsd };
    const accepted = (launched: Launched) => progress(progressLine(ticketStatus(run, launched.status, launched.status === 'queued' ? launched.position : null, null)));
    const flags = { outputDir: record.outputDir, ...(args.iterate ? { iterate: true } : {}), ...(args.budget_usd === undefined ? {} : { budgetUsd: args.budget_usd }) };
    const launched = await this.launcher.launch({ id, task: refinement, budgetUsd: run.budgetUsd, configFile: loaded.configFile, logDirectory: loaded.logDirectory, flags, askedAt: new Date().toISOString(), continues: true }, accepted);
    if (extra.signal.aborted) await this.cancel(id, extra);
    return jsonResult({
      runId: id,
      round: (record.rounds?.length ?? 0) + 2,
      status: launched.status,
      position: launched.status === 'queued' ? launched.position : null,
      folder: launched.status === 'running' ? launched.folder : null,
      outputDir: record.outputDir,
      next: 'follow it with run_status (wait_seconds to wait for its end), then collect the round with run_result',
    });
  }

  private async folderOf(logDirectory: string, id: string): Promise<string | undefined> {
    const known = this.folders.get(id);
    if (known !== undefined) return known;
    try {
      const folder = await findRunFolder(logDirectory, id);
      this.folders.set(id, folder);
      return folder;
    } catch (error) {
      if (error instanceof RunNotFoundError) return undefined;
      throw error;
    }
  }

  /** A run with no record: queued here or elsewhere, starting, or one that never started. */
  private async ticketView(loaded: LoadedWorkspace, ticket: RunTicket): Promise<RunStatusView> {
    const run = { id: ticket.id, task: ticket.task, outputDir: ticket.outputDir, budgetUsd: null };
    switch (ticket.state) {
      case 'queued':
        if (processAlive(ticket.serverPid)) return ticketStatus(run, 'queued', null, `waiting in the et mcp server of process ${ticket.serverPid}`);
        return ticketStatus(run, 'dropped', null, `the et mcp server that held it in line (process ${ticket.serverPid}) stopped before it started; ask for the run again`);
      case 'dropped':
        return ticketStatus(run, 'dropped', null, 'the et mcp server stopped before it started; ask for the run again');
      case 'cancelled':
        return ticketStatus(run, 'cancelled', null, 'cancelled before it started');
      case 'started':
        if (ticket.pid !== null && processAlive(ticket.pid)) return ticketStatus(run, 'starting', null, null);
        return ticketStatus(run, 'failed', null, failureOf(await readRunLog(loaded.logDirectory, ticket.id)));
    }
  }

  private async statusOf(loaded: LoadedWorkspace, id: string): Promise<RunStatusView> {
    const position = this.launcher.position(id);
    const held = this.launcher.request(id);
    if (position !== undefined && held) return ticketStatus({ id, task: held.task, outputDir: held.flags.outputDir, budgetUsd: held.budgetUsd }, 'queued', position, null);
    const folder = await this.folderOf(loaded.logDirectory, id);
    if (folder !== undefined) {
      const record = await readRecordFile(folder);
      return recordStatus(record, isInterrupted(record), Date.now());
    }
    const ticket = await readTicket(loaded.logDirectory, id);
    if (!ticket) throw new RunNotFoundError(id, loaded.logDirectory);
    return this.ticketView(loaded, ticket);
  }

  /** The run's state, read again until it settles, `waitSeconds` pass or the client gives up. */
  private async follow(loaded: LoadedWorkspace, id: string, waitSeconds: number, extra: ToolExtra): Promise<RunStatusView> {
    const progress = progressReporter(extra);
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const view = await this.statusOf(loaded, id);
      await progress(progressLine(view));
      const left = deadline - Date.now();
      if (isSettled(view) || left <= 0 || extra.signal.aborted) return view;
      await sleep(Math.min(POLL_MS, left), undefined, { signal: extra.signal }).catch(() => undefined);
    }
  }

  async status(args: { run_id: string; wait_seconds?: number }, extra: ToolExtra): Promise<CallToolResult> {
    const loaded = await loadWorkspace(this.context);
    return jsonResult({ ...(await this.follow(loaded, args.run_id, args.wait_seconds ?? 0, extra)) });
  }

  async result(args: { run_id: string }): Promise<CallToolResult> {
    const loaded = await loadWorkspace(this.context);
    const folder = await this.folderOf(loaded.logDirectory, args.run_id);
    if (folder === undefined) {
      const view = await this.statusOf(loaded, args.run_id);
      throw new CliError(`run ${args.run_id} has no result: it is ${view.status}${view.message ? ` (${view.message})` : ''}`, 'follow it with run_status (wait_seconds), then ask again');
    }
    return jsonResult({ ...(await loadRunResult(folder)) });
  }

  private async cancel(id: string, extra: ToolExtra): Promise<{ cancelled: boolean; view: RunStatusView }> {
    const loaded = await loadWorkspace(this.context);
    if (await this.launcher.cancelWaiting(id)) return { cancelled: true, view: await this.statusOf(loaded, id) };
    const view = await this.statusOf(loaded, id);
    if (isSettled(view)) return { cancelled: false, view };
    const ticket = await readTicket(loaded.logDirectory, id);
    const folder = await this.folderOf(loaded.logDirectory, id);
    const record = folder === undefined ? undefined : await readRecordFile(folder);
    // Only an `et run` that et mcp started is signalled: another run's process may be an editor's server.
    if (!ticket) throw new CliError(`run ${id} was not started by et mcp (it runs in process ${record?.pid ?? 'unknown'}); cancel it where it was started`, 'Ctrl-C in its terminal, or Cancel Run in the editor');
    if (ticket.state === 'queued') throw new CliError(`run ${id} waits in line in another et mcp server (process ${ticket.serverPid}); cancel it there`);
    const pid = record?.pid ?? ticket.pid;
    if (pid === null || !processAlive(pid)) return { cancelled: false, view };
    // `et run` takes SIGTERM as a cancel: model calls stop, run.json says cancelled, it exits 130.
    process.kill(pid, 'SIGTERM');
    return { cancelled: true, view: await this.follow(loaded, id, CANCEL_WAIT_SECONDS, extra) };
  }

  async cancelRun(args: { run_id: string }, extra: ToolExtra): Promise<CallToolResult> {
    const { cancelled, view } = await this.cancel(args.run_id, extra);
    const said = cancelled ? (isSettled(view) ? `run ${args.run_id} is ${view.status}` : `run ${args.run_id} was told to stop and is stopping`) : `run ${args.run_id} was not running: it is ${view.status}`;
    return jsonResult({ runId: args.run_id, cancelled, status: view.status, message: said });
  }

  async list(args: { limit?: number }): Promise<CallToolResult> {
    const loaded = await loadWorkspace(this.context);
    const limit = args.limit ?? 20;
    const waiting = this.launcher.waiting().map(({ request, position }) => ({ id: request.id, task: request.task, status: 'queued', position, startedAt: null, endedAt: null, folder: null, usd: 0, unpricedAttempts: 0, interrupted: false }));
    const stored = await listRuns(loaded.logDirectory, Math.max(0, limit - waiting.length));
    return jsonResult({ runs: [...waiting, ...stored.map((summary) => ({ ...summary, position: null }))].slice(0, limit) });
  }
}
