// et mcp's runs, each in an `et run` process of its own, detached: a run goes on when the client
// disconnects or the server is killed, its record on disk for any later server to find. At most
// `maxRuns` run at once per server; the rest wait in line (run-queue.ts) and start as others end. The
// run's id is chosen here (`et run --run-id`), so a queued run has its id at once.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from '../cli/context';
import { runFlagsToArgs } from '../cli/command-run';
import type { RunFlags } from '../protocol';
import { findRunFolder, readRecordFile, RunNotFoundError } from '../run/run-store';
import { RunQueue } from './run-queue';
import { readRunLog, runLogFile, ticketFolder, writeTicket, writeTicketNow, type RunTicket } from './run-tickets';

export interface LaunchRequest {
  id: string;
  configFile: string;
  logDirectory: string;
  task: string;
  /** Checked already (run-options.ts); `outputDir` absolute. */
  flags: RunFlags & { outputDir: string };
  budgetUsd: number | null;
  /** When the agent asked for it. */
  askedAt: string;
  /** A refinement of the finished run `id` (`task` is the refinement): `et run --resume ID "task"`. */
  continues?: boolean;
}

/** `et run`'s arguments for the request: a new run with its id, or a follow-up round of run `id`. Pure. */
export function runCommandArgs(request: LaunchRequest): string[] {
  if (request.continues) {
    const extra = [...(request.flags.iterate ? ['--iterate'] : []), ...(request.flags.budgetUsd === undefined ? [] : ['--budget', String(request.flags.budgetUsd)])];
    return ['--config', request.configFile, 'run', '--json', '--resume', request.id, ...extra, '--', request.task];
  }
  return ['--config', request.configFile, 'run', '--json', '--run-id', request.id, ...runFlagsToArgs(request.flags), '--', request.task];
}

export type Launched = { status: 'running'; folder: string } | { status: 'starting' } | { status: 'queued'; position: number };

export interface LauncherOptions {
  /** How to run this `et` (node and the bundle). */
  self: readonly string[];
  environment: NodeJS.ProcessEnv;
  /** The runs' working directory: the workspace. */
  cwd: string;
  maxRuns: number;
  warn(message: string): void;
}

/** How long `run` waits for a run's folder before it answers `starting`. */
const FOLDER_WAIT_MS = 30_000;
const FOLDER_POLL_MS = 20;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The run's record says the process `pid` runs it: a follow-up round has begun. */
async function roundBegun(folder: string, pid: number | undefined): Promise<boolean> {
  const record = await readRecordFile(folder).catch(() => undefined);
  return record !== undefined && record.pid === pid && record.status === 'running';
}

/** The `error:` and `hint:` lines of what a run's process said, else all of it. Pure. */
export function failureOf(log: string): string {
  const lines = log.split('\n').filter((line) => /^(error|hint): /.test(line));
  return (lines.length > 0 ? lines.join('\n') : log.trim()) || 'its process stopped before the run began, and said nothing';
}

export class RunLauncher {
  private readonly queue: RunQueue<LaunchRequest>;
  /** Runs this server asked for and still holds: waiting, or started and not yet ended. */
  private readonly held = new Map<string, LaunchRequest>();
  /** Resolves when the line empties (the server waits for it before it exits). */
  private emptied: (() => void) | undefined;

  constructor(private readonly options: LauncherOptions) {
    this.queue = new RunQueue(options.maxRuns);
  }

  private ticket(request: LaunchRequest, state: RunTicket['state'], pid: number | null, startedAt: string | null): RunTicket {
    return { version: 1, id: request.id, state, serverPid: process.pid, pid, task: request.task, outputDir: request.flags.outputDir, askedAt: request.askedAt, startedAt };
  }

  /**
   * Starts the run, or puts it in line. `accepted` hears which, at once; the answer comes when the run's
   * folder exists. A run that fails as it starts is an error with what its process said.
   */
  async launch(request: LaunchRequest, accepted: (launched: Launched) => Promise<void> = async () => undefined): Promise<Launched> {
    this.held.set(request.id, request);
    await writeTicket(request.logDirectory, this.ticket(request, 'queued', null, null));
    const offer = this.queue.offer(request.id, request);
    if (!offer.start) {
      const queued = { status: 'queued', position: offer.position } as const;
      await accepted(queued);
      return queued;
    }
    await accepted({ status: 'starting' });
    return this.start(request);
  }

  private async start(request: LaunchRequest): Promise<Launched> {
    const { self, environment, cwd } = this.options;
    mkdirSync(ticketFolder(request.logDirectory), { recursive: true });
    const args = [...self.slice(1), ...runCommandArgs(request)];
    const log = openSync(runLogFile(request.logDirectory, request.id), 'a');
    let child;
    try {
      // Its own process group, no pipe to us: neither our exit nor a signal to our group stops it.
      child = spawn(self[0], args, { detached: true, stdio: ['ignore', 'ignore', log], env: environment, cwd });
    } finally {
      closeSync(log);
    }
    child.unref();
    let exited = false;
    const end = () => {
      if (exited) return;
      exited = true;
      this.ended(request.id);
    };
    // A process that cannot be started at all says so with 'error' and no 'exit'.
    child.once('error', end);
    child.once('exit', end);
    await writeTicket(request.logDirectory, this.ticket(request, 'started', child.pid ?? null, new Date().toISOString()));
    const deadline = Date.now() + FOLDER_WAIT_MS;
    while (Date.now() < deadline) {
      const folder = await findRunFolder(request.logDirectory, request.id).catch((error: unknown) => {
        if (error instanceof RunNotFoundError) return undefined;
        throw error;
      });
      // The folder appears whole, its first run.json in it (run-folder.ts); a follow-up's is there already,
      // and its round has begun once the record names the new process.
      if (folder !== undefined && (request.continues ? await roundBegun(folder, child.pid) : await access(path.join(folder, 'run.json')).then(() => true, () => false))) return { status: 'running', folder };
      if (exited) throw new CliError(`run ${request.id} did not start: ${failureOf(await readRunLog(request.logDirectory, request.id))}`);
      await delay(FOLDER_POLL_MS);
    }
    return { status: 'starting' };
  }

  private ended(id: string): void {
    this.held.delete(id);
    const next = this.queue.release(id);
    if (next) this.start(next.item).catch((error: unknown) => this.options.warn(`run ${next.id} did not start: ${error instanceof Error ? error.message : String(error)}`));
    if (this.queue.waitingEntries().length === 0) this.emptied?.();
  }

  /** 1-based place in this server's line, or undefined. */
  position(id: string): number | undefined {
    return this.queue.position(id);
  }

  /** Whether this server no longer holds the run, waiting up to `ms` for its process to exit. */
  async released(id: string, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.held.has(id) && Date.now() < deadline) await delay(FOLDER_POLL_MS);
    return !this.held.has(id);
  }

  /** The request of a run this server holds (waiting or running), if it holds it. */
  request(id: string): LaunchRequest | undefined {
    return this.held.get(id);
  }

  waiting(): { request: LaunchRequest; position: number }[] {
    return this.queue.waitingEntries().map((entry, index) => ({ request: entry.item, position: index + 1 }));
  }

  /** Takes a waiting run out of line for good; false when it was not waiting here. */
  async cancelWaiting(id: string): Promise<boolean> {
    const request = this.held.get(id);
    if (!request || !this.queue.remove(id)) return false;
    this.held.delete(id);
    await writeTicket(request.logDirectory, this.ticket(request, 'cancelled', null, null));
    if (this.queue.waitingEntries().length === 0) this.emptied?.();
    return true;
  }

  /** Resolves once no run waits here: they have all started (or been cancelled). */
  async untilLineEmpty(): Promise<void> {
    if (this.queue.waitingEntries().length === 0) return;
    // The runs are detached and unreferenced: this keeps the process up to hear them end.
    const keepAlive = setInterval(() => undefined, 60_000);
    try {
      await new Promise<void>((resolve) => (this.emptied = resolve));
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** The server is going away now: runs still waiting will never start, and their tickets say so. */
  dropWaiting(): void {
    for (const { item } of this.queue.drop()) {
      try {
        writeTicketNow(item.logDirectory, this.ticket(item, 'dropped', null, null));
      } catch {
        // Nothing more to do as the process ends: a later server reports the run as queued by a server that is gone.
      }
    }
  }
}
