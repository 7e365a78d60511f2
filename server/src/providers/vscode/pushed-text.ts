// Text pushed by a callback, read as an async iterable: the editor's chunks arrive as notifications,
// the adapter yields them as a stream. Ends when `end` is called, or throws what `fail` was given.
export class PushedText implements AsyncIterable<string> {
  private readonly parts: string[] = [];
  private ended = false;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  push(text: string): void {
    if (this.ended || text === '') return;
    this.parts.push(text);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.end();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for (;;) {
      // What came since the last turn goes out as one part: many small notifications, one delta.
      if (this.parts.length > 0) yield this.parts.splice(0).join('');
      else if (this.ended) break;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.failure) throw this.failure.error;
  }
}
