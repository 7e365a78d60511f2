// A session's files, `{log_dir}/sessions/<id>/`: `state.json` (rewritten atomically), `transcript.jsonl`
// (one message per line, appended) and `output.log` (the answers' text as it streams, for `attach`).
// Any process — the CLI, the editor's server, a turn running in the background — reads and writes them,
// so a session survives restarts.
import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChatMessage } from '../providers/language-model';
import type { SessionInfo } from '../protocol';
import { writeAtomically } from '../run/write-files';

/** As stored: `interrupted` is only ever worked out when read. */
export type SessionState = Omit<SessionInfo, 'status'> & { status: Exclude<SessionInfo['status'], 'interrupted'> };

export class SessionNotFoundError extends Error {
  constructor(id: string, directory: string) {
    super(`no session ${id} in ${directory}`);
    this.name = 'SessionNotFoundError';
  }
}

export function sessionsDirectory(logDirectory: string): string {
  return path.join(logDirectory, 'sessions');
}

export class SessionFiles {
  constructor(readonly directory: string) {}

  static async create(logDirectory: string, id: string): Promise<SessionFiles> {
    const directory = path.join(sessionsDirectory(logDirectory), id);
    await mkdir(directory, { recursive: true });
    return new SessionFiles(directory);
  }

  static async open(logDirectory: string, id: string): Promise<SessionFiles> {
    if (!/^[0-9a-f]{8,}$/.test(id)) throw new SessionNotFoundError(id, sessionsDirectory(logDirectory));
    const files = new SessionFiles(path.join(sessionsDirectory(logDirectory), id));
    await files.state().catch(() => {
      throw new SessionNotFoundError(id, sessionsDirectory(logDirectory));
    });
    return files;
  }

  get outputLog(): string {
    return path.join(this.directory, 'output.log');
  }

  async state(): Promise<SessionState> {
    return JSON.parse(await readFile(path.join(this.directory, 'state.json'), 'utf8')) as SessionState;
  }

  saveState(state: SessionState): Promise<void> {
    return writeAtomically(path.join(this.directory, 'state.json'), `${JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, null, 2)}\n`, false);
  }

  async transcript(): Promise<ChatMessage[]> {
    const text = await readFile(path.join(this.directory, 'transcript.jsonl'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as ChatMessage];
        } catch {
          // A line cut by a crash: the messages around it still count.
          return [];
        }
      });
  }

  appendMessage(message: ChatMessage): Promise<void> {
    return appendFile(path.join(this.directory, 'transcript.jsonl'), `${JSON.stringify({ role: message.role, content: message.content })}\n`, 'utf8');
  }

  output(): Promise<string> {
    return readFile(this.outputLog, 'utf8').catch(() => '');
  }

  appendOutput(text: string): Promise<void> {
    return appendFile(this.outputLog, text, 'utf8');
  }
}

/** Every session's state, newest first; a folder without a readable state is left out. */
export async function listSessions(logDirectory: string): Promise<SessionState[]> {
  const directory = sessionsDirectory(logDirectory);
  const names = await readdir(directory).catch(() => [] as string[]);
  const states = await Promise.all(names.map((name) => new SessionFiles(path.join(directory, name)).state().catch(() => undefined)));
  return states.filter((state): state is SessionState => state !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
