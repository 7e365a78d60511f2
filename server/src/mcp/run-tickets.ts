// Each run an agent asks et mcp for has a ticket, `<log_dir>/mcp-runs/<id>.json`, from the moment it is
// asked: queued, then started (with its process's id), or cancelled or dropped before it started. A
// server started later (the client reconnected) reads it to say what became of a run that has no folder
// yet, and to know that a run's process is an `et run` that et mcp started — the only kind `cancel_run`
// stops. The run's process writes its stderr beside it, `<id>.log`: why it stopped, if it stopped before
// its folder existed.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../run/write-files';

export interface RunTicket {
  version: 1;
  id: string;
  state: 'queued' | 'started' | 'cancelled' | 'dropped';
  /** The et mcp server that holds or held it. */
  serverPid: number;
  /** The `et run` process, once started. */
  pid: number | null;
  task: string;
  /** Absolute. */
  outputDir: string;
  askedAt: string;
  startedAt: string | null;
}

export function ticketFolder(logDirectory: string): string {
  return path.join(logDirectory, 'mcp-runs');
}

export function runLogFile(logDirectory: string, id: string): string {
  return path.join(ticketFolder(logDirectory), `${id}.log`);
}

const ticketFile = (logDirectory: string, id: string) => path.join(ticketFolder(logDirectory), `${id}.json`);

export async function writeTicket(logDirectory: string, ticket: RunTicket): Promise<void> {
  await mkdir(ticketFolder(logDirectory), { recursive: true });
  await writeAtomically(ticketFile(logDirectory, ticket.id), `${JSON.stringify(ticket)}\n`, false);
}

/** For a server that is going away now: nothing after it may wait. */
export function writeTicketNow(logDirectory: string, ticket: RunTicket): void {
  mkdirSync(ticketFolder(logDirectory), { recursive: true });
  const temporary = `${ticketFile(logDirectory, ticket.id)}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(ticket)}\n`);
  renameSync(temporary, ticketFile(logDirectory, ticket.id));
}

function isTicket(value: unknown): value is RunTicket {
  return typeof value === 'object' && value !== null && 'version' in value && value.version === 1 && 'id' in value && typeof value.id === 'string' && 'state' in value && typeof value.state === 'string';
}

/** The ticket of run `id`, or undefined for a run et mcp was never asked for here. */
export async function readTicket(logDirectory: string, id: string): Promise<RunTicket | undefined> {
  try {
    const ticket: unknown = JSON.parse(await readFile(ticketFile(logDirectory, id), 'utf8'));
    return isTicket(ticket) ? ticket : undefined;
  } catch {
    return undefined;
  }
}

/** The end of a run process's stderr: what it said before it stopped. */
export async function readRunLog(logDirectory: string, id: string, maxChars = 4000): Promise<string> {
  const text = await readFile(runLogFile(logDirectory, id), 'utf8').catch(() => '');
  return text.length > maxChars ? `…${text.slice(-maxChars)}` : text;
}
