// Appends ledger entries without making the request that produced them wait: entries queue in memory
// and go out in order, several per write when they pile up. `flush` waits for everything queued so
// far (a CLI before it exits, a run before it reports done).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { appendLines, type LedgerEntry } from './ledger';

export class LedgerWriter {
  private queue: LedgerEntry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private directoryReady = false;

  constructor(
    readonly file: string,
    /** A write that fails (disk full, no permission) is reported, never thrown into a run. */
    private readonly onError: (error: unknown) => void,
  ) {}

  record(entry: LedgerEntry): void {
    this.queue.push(entry);
    if (this.queue.length === 1) this.writing = this.writing.then(() => this.writeQueued());
  }

  flush(): Promise<void> {
    return this.writing;
  }

  private async writeQueued(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      if (!this.directoryReady) {
        await mkdir(path.dirname(this.file), { recursive: true });
        this.directoryReady = true;
      }
      await appendLines(this.file, batch);
    } catch (error) {
      this.onError(error);
    }
  }
}
