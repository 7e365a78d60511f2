// Offsets ↔ 0-based line/character (UTF-16, as LSP counts), built once per text. Lines end at
// \n, \r\n or a lone \r, as in YAML and LSP.

export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    this.lineStarts = [0];
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === 10 || (code === 13 && text.charCodeAt(index + 1) !== 10)) this.lineStarts.push(index + 1);
    }
  }

  /** Always a position inside the text: an offset past either end, not a number, or inside a line break is brought to the nearest one. */
  positionAt(offset: number): Position {
    const clamped = Number.isFinite(offset) ? Math.max(0, Math.min(Math.floor(offset), this.text.length)) : 0;
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: Math.min(clamped, this.contentEnd(low)) - this.lineStarts[low] };
  }

  /** Where a line's text ends, before its line break. */
  private contentEnd(line: number): number {
    const start = this.lineStarts[line];
    let end = this.lineStarts[line + 1] ?? this.text.length;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return end;
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[Math.max(0, position.line)];
    let lineEnd = this.lineStarts[position.line + 1] ?? this.text.length;
    // Characters past the end of a line stop before its line break.
    while (lineEnd > lineStart && (this.text[lineEnd - 1] === '\n' || this.text[lineEnd - 1] === '\r')) lineEnd--;
    return Math.min(lineStart + Math.max(0, position.character), lineEnd);
  }
}
