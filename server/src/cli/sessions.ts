// The `et session` commands. A turn runs in a detached `et session turn ID`, so `spawn` and `send`
// return at once and the conversation goes on after the terminal closes; `attach` follows output.log.
import { spawn } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { ledgerPath, loadConfig, logDirectory } from '../config/load-config';
import { LedgerWriter } from '../cost/ledger-writer';
import { chainForRole, ChainError } from '../router/chain';
import { newRunId } from '../run/run-folder';
import { processAlive } from '../run/run-store';
import { runTurn } from '../session/session-turn';
import { listSessions, SessionFiles, SessionNotFoundError, type SessionState } from '../session/session-store';
import { CliError, EXIT_OK, type CliContext } from './context';
import { formatUsd } from './costs-report';

export interface SessionCommand {
  configFile: string;
  context: CliContext;
}

async function logsOf({ configFile, context }: SessionCommand): Promise<{ logs: string; config: Awaited<ReturnType<typeof loadConfig>> }> {
  const config = await loadConfig(configFile, context.env);
  return { logs: logDirectory(configFile, config, context.env), config };
}

async function openSession(command: SessionCommand, id: string): Promise<SessionFiles> {
  const { logs } = await logsOf(command);
  try {
    return await SessionFiles.open(logs, id);
  } catch (error) {
    if (error instanceof SessionNotFoundError) throw new CliError(error.message, 'et session list shows the sessions');
    throw error;
  }
}

/** A session whose turn process died shows as failed rather than running forever. */
function effectiveStatus(state: SessionState): string {
  return state.status === 'running' && (state.pid === null || !processAlive(state.pid)) ? 'interrupted' : state.status;
}

/** Starts `et session turn ID` detached: it outlives this command and its terminal. */
function startTurn(command: SessionCommand, id: string): number | undefined {
  const self = command.context.self;
  if (!self) throw new CliError('this et cannot start a background turn (no path to itself)');
  const child = spawn(self[0], [...self.slice(1), '--config', command.configFile, 'session', 'turn', id], { detached: true, stdio: 'ignore', env: command.context.env as NodeJS.ProcessEnv, cwd: command.context.cwd });
  child.unref();
  return child.pid;
}

async function beginTurn(command: SessionCommand, files: SessionFiles, state: SessionState, text: string): Promise<void> {
  await files.appendMessage({ role: 'user', content: text });
  await files.appendOutput(`\n>>> ${text}\n`);
  state.status = 'running';
  await files.saveState(state);
  state.pid = startTurn(command, state.id) ?? null;
  await files.saveState(state);
}

export async function spawnSession(command: SessionCommand, request: { role: string; dir: string | undefined; prompt: string }): Promise<number> {
  const { logs, config } = await logsOf(command);
  try {
    chainForRole(config, request.role);
  } catch (error) {
    throw error instanceof ChainError ? new CliError(error.message) : error;
  }
  const id = newRunId();
  const files = await SessionFiles.create(logs, id);
  const now = new Date().toISOString();
  const state: SessionState = { id, role: request.role, dir: request.dir === undefined ? null : path.resolve(command.context.cwd, request.dir), config: command.configFile, createdAt: now, updatedAt: now, status: 'idle', pid: null, turns: 0, usd: 0, unpricedAttempts: 0, error: null };
  await beginTurn(command, files, state, request.prompt);
  command.context.stdout(`${id}\n`);
  command.context.stderr(`session ${id} started (${request.role}); follow it with: et session attach ${id}\n`);
  return EXIT_OK;
}

export async function sendToSession(command: SessionCommand, id: string, text: string): Promise<number> {
  const files = await openSession(command, id);
  const state = await files.state();
  const status = effectiveStatus(state);
  if (status === 'running') throw new CliError(`session ${id} is still answering`, `wait for it: et session attach ${id} --until-idle`);
  if (status === 'killed') throw new CliError(`session ${id} was killed; it takes no more messages`);
  await beginTurn(command, files, state, text);
  return EXIT_OK;
}

export async function runSessionTurn(command: SessionCommand, id: string): Promise<number> {
  const files = await openSession(command, id);
  const config = await loadConfig(command.configFile, command.context.env);
  const ledger = new LedgerWriter(ledgerPath(command.configFile, config, command.context.env), () => undefined);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('killed'));
  process.once('SIGTERM', stop);
  try {
    await runTurn({ files, config, environment: command.context.env, ledger, signal: controller.signal });
  } finally {
    process.removeListener('SIGTERM', stop);
    await ledger.close();
  }
  return EXIT_OK;
}

export async function killSession(command: SessionCommand, id: string): Promise<number> {
  const files = await openSession(command, id);
  const state = await files.state();
  if (state.status === 'running' && state.pid !== null && processAlive(state.pid)) process.kill(state.pid, 'SIGTERM');
  Object.assign(state, { status: 'killed', pid: null });
  await files.saveState(state);
  command.context.stderr(`session ${id} killed\n`);
  return EXIT_OK;
}

export async function showSessions(command: SessionCommand, json: boolean): Promise<number> {
  const { logs } = await logsOf(command);
  const sessions = (await listSessions(logs)).map((state) => ({ ...state, status: effectiveStatus(state) }));
  if (json) {
    command.context.stdout(`${JSON.stringify(sessions, null, 2)}\n`);
    return EXIT_OK;
  }
  const rows = [['ID', 'ROLE', 'STATUS', 'TURNS', 'COST', 'UPDATED'], ...sessions.map((state) => [state.id, state.role, state.status, String(state.turns), state.unpricedAttempts > 0 && state.usd === 0 ? 'unpriced' : formatUsd(state.usd), state.updatedAt])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  command.context.stdout(rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n') + '\n');
  return EXIT_OK;
}

const FOLLOW_MS = 100;

/** Prints output.log from the start and then as it grows, until Ctrl-C (or, with untilIdle, the turn ends). */
export async function attachSession(command: SessionCommand, id: string, untilIdle: boolean): Promise<number> {
  const files = await openSession(command, id);
  let offset = 0;
  let interrupted = false;
  const leave = () => (interrupted = true);
  process.once('SIGINT', leave);
  try {
    for (;;) {
      const size = await stat(files.outputLog).then((info) => info.size, () => 0);
      if (size > offset) {
        const handle = await open(files.outputLog, 'r');
        const buffer = Buffer.alloc(size - offset);
        await handle.read(buffer, 0, buffer.length, offset);
        await handle.close();
        command.context.stdout(buffer.toString('utf8'));
        offset = size;
        continue;
      }
      if (interrupted) break;
      if (untilIdle && effectiveStatus(await files.state()) !== 'running') {
        // A last look: the turn may have written its end after the size was read.
        const final = await stat(files.outputLog).then((info) => info.size, () => 0);
        if (final === offset) break;
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
    }
  } finally {
    process.removeListener('SIGINT', leave);
  }
  return EXIT_OK;
}
