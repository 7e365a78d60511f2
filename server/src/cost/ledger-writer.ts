// Appends ledger entries without making the request that produced them wait: entries queue in memory
// and go out together a few milliseconds later, in order, through one file handle kept open, in one
// write each. A crash can lose at most the last WRITE_DELAY_MS of entries, never corrupt what was
// written, and a half line another process left is never continued (see ledger.ts).
// `flush` writes everything queued so far (a CLI before it exits, a run before it reports done).
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { serializeEntries, type LedgerEntry } from './ledger';

/** Long enough to batch a burst of parallel workers' attempts into one write. */
const WRITE_DELAY_MS = 20;

export class LedgerWriter {
  private queue: LedgerEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private handle: Promise<FileHandle> | undefined;

  constructor(
    readonly file: string,
    /** A write that fails (disk full, no permission) is reported, never thrown into a run. */
    private readonly onError: (error: unknown) => void,
  ) {}

  record(entry: LedgerEntry): void {
    this.queue.push(entry);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), WRITE_DELAY_MS);
      // A pending write never keeps a finished CLI alive; it flushes before it exits.
      this.timer.unref();
    }
  }

  /** Writes what is queued; resolves when everything recorded so far is on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    const handle = this.handle;
    this.handle = undefined;
    await (await handle?.catch(() => undefined))?.close();
  }

  private async write(batch: readonly LedgerEntry[]): Promise<void> {
    try {
      this.handle ??= this.openForAppend();
      const handle = await this.handle;
      // Another process killed mid-write may have left half a line since the last write: start a fresh
      // one, so that it cannot swallow this batch's first entry. One write per batch (O_APPEND): another
      // writer's lines land before or after it, never inside.
      const prefix = (await endsMidLine(handle)) ? '\n' : '';
      await handle.write(prefix + serializeEntries(batch));
    } catch (error) {
      this.handle = undefined;
      this.onError(error);
    }
  }

  private async openForAppend(): Promise<FileHandle> {
    await mkdir(path.dirname(this.file), { recursive: true });
    return open(this.file, 'a+', 0o600);
  }
}

async function endsMidLine(handle: FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}
