// The health that `et` processes on one machine share: a small JSON file under the log folder, read
// when it changed and rewritten whole under a lock file.
//
// Why a locked JSON file: the server ships as one esbuild bundle and as single-file standalone builds,
// so a native SQLite addon is out, and node:sqlite is not in Node 20. The data is a handful of entries
// written only when an endpoint starts or stops resting, so rewriting the whole file is cheap. A lock
// taken with O_EXCL (`wx`) is portable and needs nothing native; the write goes to a temporary file
// renamed over the old one, so a reader never sees half a file; and each write merges with what is on
// disk, so two processes writing one after the other keep each other's entries. An append-only log would
// need the same lock to compact it, and more reading.
//
// Nothing here may stop a run: a file that is not ours, a lock left by a killed process or a failed
// write is said once, and the process goes on with what it knows itself.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mergeHealth, parseHealth, serializeHealth, type HealthEntries } from './health-file-format';

export const HEALTH_FILE_NAME = 'endpoint-health.json';

/** A lock older than this is left over: a write holds it for milliseconds. */
const STALE_LOCK_MS = 10_000;
/** A lock without a readable owner (its writer died between creating and filling it) is left over after this. */
const UNREADABLE_LOCK_MS = 1_000;
/** How long a writer waits for another's lock before keeping its changes for the next write. */
const LOCK_WAIT_MS = 1_000;

export type HealthWarning = 'unreadable' | 'stale-lock' | 'write-failed';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Renames over `target`; Windows refuses while another process has the file open for a read, briefly. */
async function replace(source: string, target: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rename(source, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 5 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw error;
      await pause(10 * attempt);
    }
  }
}

export class HealthFile {
  readonly path: string;
  private readonly lockPath: string;
  /** What the file was when last read: unchanged, it is not read again. */
  private seen = '';
  private readonly warned = new Set<HealthWarning>();

  constructor(
    directory: string,
    private warnSink: (message: string) => void,
  ) {
    this.path = path.join(directory, HEALTH_FILE_NAME);
    this.lockPath = `${this.path}.lock`;
  }

  /** Where warnings go from now on (the latest user of a shared store). */
  set onWarning(sink: (message: string) => void) {
    this.warnSink = sink;
  }

  warnOnce(kind: HealthWarning, message: string): void {
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    this.warnSink(message);
  }

  /** The entries, when the file changed since it was last read; undefined when it did not or is missing. */
  async readIfChanged(): Promise<HealthEntries | undefined> {
    const info = await stat(this.path).catch(() => undefined);
    if (!info) return undefined;
    const version = `${info.ino}:${info.size}:${info.mtimeMs}`;
    if (version === this.seen) return undefined;
    this.seen = version;
    return this.read();
  }

  private async read(): Promise<HealthEntries> {
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
    if (text === undefined) return new Map();
    const parsed = parseHealth(text);
    if (parsed.ok) return parsed.entries;
    this.warnOnce('unreadable', `${this.path} is not an endpoint health file (${parsed.problem}): it is ignored and will be rewritten`);
    return new Map();
  }

  /**
   * Merges `changes` into the file under its lock. The merged entries (others' included) when written;
   * undefined when another process held the lock too long, so the caller keeps its changes for later.
   */
  async write(changes: HealthEntries, now: number): Promise<HealthEntries | undefined> {
    await mkdir(path.dirname(this.path), { recursive: true });
    if (!(await this.lock())) return undefined;
    try {
      const merged = mergeHealth(await this.read(), changes, now);
      const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, serializeHealth(merged));
        await replace(temporary, this.path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return merged;
    } finally {
      await rm(this.lockPath, { force: true });
    }
  }

  private async lock(): Promise<boolean> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await open(this.lockPath, 'wx');
        try {
          await handle.writeFile(`${process.pid} ${Date.now()}\n`);
        } finally {
          await handle.close();
        }
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await this.lockHolder();
      if (holder.stale) {
        this.warnOnce('stale-lock', `${this.lockPath} was left by ${holder.owner}: the lock is taken over`);
        await rm(this.lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) return false;
      await pause(5 + Math.random() * 20);
    }
  }

  private async lockHolder(): Promise<{ stale: boolean; owner: string }> {
    const [text, info] = await Promise.all([readFile(this.lockPath, 'utf8').catch(() => undefined), stat(this.lockPath).catch(() => undefined)]);
    // Gone since: free now.
    if (!info) return { stale: false, owner: 'nobody' };
    const match = /^(\d+) (\d+)/.exec(text ?? '');
    if (!match) return { stale: Date.now() - info.mtimeMs > UNREADABLE_LOCK_MS, owner: 'a process that did not say which' };
    const [pid, since] = [Number(match[1]), Number(match[2])];
    if (!processAlive(pid)) return { stale: true, owner: `process ${pid}, which has ended` };
    return { stale: Date.now() - since > STALE_LOCK_MS, owner: `process ${pid} ${Math.round((Date.now() - since) / 1000)} s ago` };
  }
}
