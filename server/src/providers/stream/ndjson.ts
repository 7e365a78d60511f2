// Newline-delimited JSON (Ollama's streams): one object per line. A line that is not JSON, or a body
// cut in the middle of a line, is reported rather than skipped.
import { LineSplitter } from './lines';
import { StreamCutError } from './sse';

export class MalformedStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedStreamError';
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    // The line may carry secrets echoed by a server; say only how long it was.
    throw new MalformedStreamError(`a stream line is not JSON (${line.length} characters)`);
  }
}

export class NdjsonDecoder {
  private readonly lines = new LineSplitter();

  /** The objects of the lines this chunk completes. */
  push(chunk: Uint8Array): unknown[] {
    const values: unknown[] = [];
    for (const line of this.lines.push(chunk)) if (line.trim() !== '') values.push(parseLine(line));
    return values;
  }

  /** Call at the end of the body: a last line without its newline counts only if it is whole JSON. */
  end(): unknown[] {
    const rest = this.lines.end();
    if (rest.trim() === '') return [];
    try {
      return [JSON.parse(rest)];
    } catch {
      throw new StreamCutError('the stream ended in the middle of a line');
    }
  }
}
