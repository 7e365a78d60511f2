// Bytes → lines, for SSE and NDJSON bodies. Chunks do not line up with characters or lines: a UTF-8
// sequence or a \r\n pair may be split between two chunks. Lines end at \r\n, \n or \r.

/** Yields each complete line; `onEnd` learns whether the body stopped in the middle of a line. */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>, onEnd?: (partialLine: string) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  // A \r at the very end of a chunk may be the first half of \r\n.
  let sawCarriageReturn = false;
  for await (const chunk of chunks) {
    let text = decoder.decode(chunk, { stream: true });
    if (text === '') continue;
    if (sawCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    sawCarriageReturn = false;
    pending += text;
    let start = 0;
    for (let index = 0; index < pending.length; index++) {
      const code = pending.charCodeAt(index);
      if (code !== 10 && code !== 13) continue;
      yield pending.slice(start, index);
      if (code === 13) {
        if (index + 1 === pending.length) sawCarriageReturn = true;
        else if (pending.charCodeAt(index + 1) === 10) index++;
      }
      start = index + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  onEnd?.(pending);
  if (pending !== '') yield pending;
}
