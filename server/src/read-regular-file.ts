// Reads a file that must be an ordinary file of bounded size: a device (`/dev/zero`), a named pipe or a
// socket given as a config or a context file is refused with what it is, instead of being read for
// ever or blocking. The check is made on the open file, so what was checked is what is read, and the
// read stops at the bound even if the file grows meanwhile.
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

export type RegularFileRead = { ok: true; bytes: Buffer } | { ok: false; reason: string; tooLarge?: number };

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'it is a folder';
  if (info.isFIFO()) return 'it is a named pipe, not a file';
  if (info.isSocket()) return 'it is a socket, not a file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'it is a device, not a file';
  return 'it is not a regular file';
}

/** Throws what opening throws (ENOENT, EACCES…); refuses what is not a regular file of at most `maxBytes`. */
export async function readRegularFile(file: string, maxBytes: number): Promise<RegularFileRead> {
  // O_NONBLOCK: opening a named pipe does not wait for a writer.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, reason: kindOf(info) };
    if (info.size > maxBytes) return { ok: false, reason: `it is larger than the limit of ${maxBytes.toLocaleString('en-US')} bytes`, tooLarge: info.size };
    // Read to the end, in chunks, and never past the bound: the size said may be stale.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(info.size - length, 0) + 1, maxBytes + 1 - length, 1 << 20));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, length);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > maxBytes) return { ok: false, reason: `it is larger than the limit of ${maxBytes.toLocaleString('en-US')} bytes`, tooLarge: length };
    return { ok: true, bytes: Buffer.concat(chunks, length) };
  } finally {
    await handle.close();
  }
}
