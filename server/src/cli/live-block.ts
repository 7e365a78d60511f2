// A block of lines at the bottom of a terminal, redrawn in place a few times a second: `et run` keeps
// one per running worker there. Anything else printed goes above the block, which is then redrawn.
// Lines are cut to the terminal's width, since a wrapped line would throw the redraw off by one.

const REDRAW_MS = 200;

export class LiveBlock {
  private drawnLines = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (text: string) => void,
    /** The lines to show now; called at every redraw. */
    private readonly render: () => string[],
    private readonly columns: number,
  ) {}

  /** Starts redrawing on a timer (elapsed times move even when nothing happens). */
  start(): void {
    this.timer ??= setInterval(() => this.redraw(), REDRAW_MS);
    this.timer.unref();
  }

  /** Prints text above the block. */
  print(text: string): void {
    this.write(this.erase() + text + this.draw());
  }

  redraw(): void {
    this.write(this.erase() + this.draw());
  }

  /** Removes the block for good. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.write(this.erase());
  }

  private erase(): string {
    if (this.drawnLines === 0) return '';
    const up = `\x1b[${this.drawnLines}F\x1b[0J`;
    this.drawnLines = 0;
    return up;
  }

  private draw(): string {
    const lines = this.render().map((line) => (line.length >= this.columns ? `${line.slice(0, Math.max(0, this.columns - 2))}…` : line));
    this.drawnLines = lines.length;
    return lines.map((line) => `${line}\n`).join('');
  }
}
