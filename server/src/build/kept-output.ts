// What is kept of a step's output stream: its head (where most compilers start) and its tail (where
// tracebacks end), however much the step writes.

/** A stream's bytes, keeping its first and last halves of `limit` once it is longer. */
export class KeptOutput {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    const half = this.limit / 2;
    if (this.headBytes < half) {
      const taken = chunk.subarray(0, half - this.headBytes);
      this.head.push(taken);
      this.headBytes += taken.length;
      chunk = chunk.subarray(taken.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes > half) {
      const excess = this.tailBytes - half;
      const first = this.tail[0];
      if (first.length <= excess) this.tail.shift();
      else this.tail[0] = first.subarray(excess);
      const removed = Math.min(first.length, excess);
      this.tailBytes -= removed;
      this.dropped += removed;
    }
    // A step writing a byte at a time would otherwise keep one Buffer object per byte.
    if (this.tail.length > 256) this.tail = [Buffer.concat(this.tail)];
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  text(): string {
    const marker = this.dropped > 0 ? `\n… ${this.dropped} bytes of output left out …\n` : '';
    return Buffer.concat(this.head).toString('utf8') + marker + Buffer.concat(this.tail).toString('utf8');
  }
}
