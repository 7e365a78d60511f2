// At most `limit` runs at once per et mcp server; the rest wait in order, each knowing its place.
// Pure bookkeeping: the launcher starts what this says may start.
export class RunQueue<T> {
  private readonly running = new Set<string>();
  private readonly waiting: { id: string; item: T }[] = [];

  constructor(readonly limit: number) {}

  /** Takes a slot for `id` when one is free (`start`), else puts it in line at `position` (1: next). */
  offer(id: string, item: T): { start: true } | { start: false; position: number } {
    if (this.running.size < this.limit && this.waiting.length === 0) {
      this.running.add(id);
      return { start: true };
    }
    this.waiting.push({ id, item });
    return { start: false, position: this.waiting.length };
  }

  /** `id` ended (or never started): its slot goes to the next in line, which is returned to start. */
  release(id: string): { id: string; item: T } | undefined {
    if (!this.running.delete(id)) return undefined;
    const next = this.waiting.shift();
    if (next) this.running.add(next.id);
    return next;
  }

  /** 1-based place in line, undefined when not waiting. */
  position(id: string): number | undefined {
    const index = this.waiting.findIndex((entry) => entry.id === id);
    return index === -1 ? undefined : index + 1;
  }

  /** Takes a waiting run out of line; false when it was not waiting. */
  remove(id: string): boolean {
    const index = this.waiting.findIndex((entry) => entry.id === id);
    if (index === -1) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Everything still waiting, in order. */
  waitingEntries(): readonly { id: string; item: T }[] {
    return this.waiting;
  }

  /** Empties the line (the server is stopping), returning what was in it. */
  drop(): { id: string; item: T }[] {
    return this.waiting.splice(0, this.waiting.length);
  }
}
