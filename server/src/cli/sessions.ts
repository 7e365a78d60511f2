// The `et session` commands. A turn runs in a detached `et session turn ID`, so `spawn` and `send`
// return at once and the conversation goes on after the terminal closes; `attach` follows output.log.
import { terminalSafe } from './terminal-text';
import { runProtects } from '../run/prepare-run';
import { open, stat } from 'node:fs/promises';
import { ledgerPath, loadConfig, logDirectory } from '../config/load-config';
import { LedgerWriter } from '../cost/ledger-writer';
import { chainForRole, ChainError } from '../router/chain';
import { sharedHealth } from '../router/health-registry';
import { runTurn } from '../session/session-turn';
import { listSessions, SessionFiles, SessionNotFoundError } from '../session/session-store';
import { createSession, detachedTurns, effectiveStatus, killSession, sendMessage, SessionError } from '../session/sessions';
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

function turnsFor(command: SessionCommand) {
  const self = command.context.self;
  if (!self) throw new CliError('this et cannot start a background turn (no path to itself)');
  return detachedTurns(self, command.configFile, command.context.env as NodeJS.ProcessEnv, command.context.cwd);
}

export async function spawnSession(command: SessionCommand, request: { role: string; dir: string | undefined; prompt: string }): Promise<number> {
  const { logs, config } = await logsOf(command);
  try {
    chainForRole(config, request.role);
  } catch (error) {
    throw error instanceof ChainError ? new CliError(error.message) : error;
  }
  const state = await createSession(logs, { ...request, configFile: command.configFile, baseDirectory: command.context.cwd }, turnsFor(command));
  command.context.stdout(`${state.id}\n`);
  command.context.stderr(`session ${state.id} started (${request.role}); follow it with: et session attach ${state.id}\n`);
  return EXIT_OK;
}

export async function sendToSession(command: SessionCommand, id: string, text: string): Promise<number> {
  const files = await openSession(command, id);
  try {
    await sendMessage(files, text, turnsFor(command));
  } catch (error) {
    if (error instanceof SessionError) throw new CliError(error.message, error.message.includes('still answering') ? `wait for it: et session attach ${id} --until-idle` : undefined);
    throw error;
  }
  return EXIT_OK;
}

export async function runSessionTurn(command: SessionCommand, id: string): Promise<number> {
  const files = await openSession(command, id);
  const { logs, config } = await logsOf(command);
  const ledger = new LedgerWriter(ledgerPath(command.configFile, config, command.context.env), () => undefined);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('killed'));
  const health = sharedHealth(logs, (message) => command.context.stderr(`warning: ${message}\n`));
  process.once('SIGTERM', stop);
  try {
    await runTurn({ files, config, environment: command.context.env, ledger, health, signal: controller.signal, protect: runProtects(command.configFile, logs), logDirectory: logs });
  } finally {
    process.removeListener('SIGTERM', stop);
    await Promise.all([ledger.close(), health.flush()]);
  }
  return EXIT_OK;
}

export async function killSessionCommand(command: SessionCommand, id: string): Promise<number> {
  await killSession(await openSession(command, id));
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
        command.context.stdout(terminalSafe(buffer.toString('utf8')));
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
