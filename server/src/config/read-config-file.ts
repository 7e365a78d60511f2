// Reads a config file as text, refusing what cannot be a config (too large, not UTF-8) with an
// issue rather than an exception, so callers report it like any other problem.
import { readFile, stat } from 'node:fs/promises';
import type { ConfigIssue } from './issues';
import { MAX_CONFIG_CHARS, tooLargeMessage } from './yaml-source';

export type ConfigFileText = { ok: true; text: string } | { ok: false; issue: ConfigIssue };

export function decodeConfigBytes(bytes: Uint8Array): ConfigFileText {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    return { ok: false, issue: { severity: 'error', code: 'not-utf8', message: 'the file is not UTF-8 text: save it as UTF-8', start: 0, end: 0 } };
  }
}

export async function readConfigFile(file: string): Promise<ConfigFileText> {
  const { size } = await stat(file);
  // UTF-8 never takes fewer bytes than UTF-16 code units, so this bound is safe before decoding.
  if (size > MAX_CONFIG_CHARS * 4) {
    return { ok: false, issue: { severity: 'error', code: 'too-large', message: tooLargeMessage(size), start: 0, end: 0 } };
  }
  return decodeConfigBytes(await readFile(file));
}
