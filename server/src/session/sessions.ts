// What the CLI and the server both do with sessions: start one, send it a message, kill it, read its
// status. A turn runs in a detached `et session turn ID` (started by `startTurn`), so it outlives the
// command or the editor that asked for it, and `kill` stops that process only.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { newRunId } from '../run/run-folder';
import { processAlive } from '../run/run-store';
import type { SessionInfo } from '../protocol';
import { SessionFiles, type SessionState } from './session-store';

export class SessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionError';
  }
}

/** Starts a session's turn in the background; returns its process id. */
export type TurnStarter = (id: string) => number | undefined;

/** A detached `et session turn ID` with `self` = how to run this `et` (node and the bundle). */
export function detachedTurns(self: readonly string[], configFile: string, environment: NodeJS.ProcessEnv, cwd: string): TurnStarter {
  return (id) => {
    const child = spawn(self[0], [...self.slice(1), '--config', configFile, 'session', 'turn', id], { detached: true, stdio: 'ignore', env: environment, cwd });
    child.unref();
    return child.pid;
  };
}

/** A session whose turn process died shows as interrupted rather than running forever. */
export function effectiveStatus(state: SessionState): SessionInfo['status'] {
  return state.status === 'running' && (state.pid === null || !processAlive(state.pid)) ? 'interrupted' : state.status;
}

export function sessionInfo(state: SessionState): SessionInfo {
  return { ...state, status: effectiveStatus(state) };
}

async function beginTurn(files: SessionFiles, state: SessionState, text: string, startTurn: TurnStarter): Promise<void> {
  await files.appendMessage({ role: 'user', content: text });
  await files.appendOutput(`\n>>> ${text}\n`);
  state.status = 'running';
  await files.saveState(state);
  state.pid = startTurn(state.id) ?? null;
  await files.saveState(state);
}

export async function createSession(logDirectory: string, request: { role: string; dir: string | undefined; prompt: string; configFile: string; baseDirectory: string }, startTurn: TurnStarter): Promise<SessionState> {
  const id = newRunId();
  const files = await SessionFiles.create(logDirectory, id);
  const now = new Date().toISOString();
  const state: SessionState = { id, role: request.role, dir: request.dir === undefined ? null : path.resolve(request.baseDirectory, request.dir), config: request.configFile, createdAt: now, updatedAt: now, status: 'idle', pid: null, turns: 0, usd: 0, unpricedAttempts: 0, error: null };
  await beginTurn(files, state, request.prompt, startTurn);
  return state;
}

export async function sendMessage(files: SessionFiles, text: string, startTurn: TurnStarter): Promise<SessionState> {
  const state = await files.state();
  const status = effectiveStatus(state);
  if (status === 'running') throw new SessionError(`session ${state.id} is still answering`);
  if (status === 'killed') throw new SessionError(`session ${state.id} was killed; it takes no more messages`);
  await beginTurn(files, state, text, startTurn);
  return state;
}

export async function killSession(files: SessionFiles): Promise<SessionState> {
  const state = await files.state();
  if (state.status === 'running' && state.pid !== null && processAlive(state.pid)) process.kill(state.pid, 'SIGTERM');
  Object.assign(state, { status: 'killed', pid: null });
  await files.saveState(state);
  return state;
}
