// Newline-delimited JSON (Ollama's streams): one object per line. A line that is not JSON, or a body
// cut in the middle of a line, is reported rather than skipped.
import { splitLines } from './lines';
import { StreamCutError } from './sse';

export class MalformedStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedStreamError';
  }
}

export async function* parseNdjson(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<unknown> {
  let cut = false;
  for await (const line of splitLines(chunks, (partial) => (cut = partial.trim() !== ''))) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (cut) throw new StreamCutError('the stream ended in the middle of a line');
      // The line may carry secrets echoed by a server; say only how long it was.
      throw new MalformedStreamError(`a stream line is not JSON (${line.length} characters)`);
    }
    yield value;
  }
}
