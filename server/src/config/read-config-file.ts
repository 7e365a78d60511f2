// Reads a config file as text, refusing what cannot be a config (too large, not UTF-8, a device or a
// pipe) with an
// issue rather than an exception, so callers report it like any other problem.
import { readRegularFile } from '../read-regular-file';
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
  // UTF-8 never takes fewer bytes than UTF-16 code units, so this bound is safe before decoding.
  const read = await readRegularFile(file, MAX_CONFIG_CHARS * 4);
  if (read.ok) return decodeConfigBytes(read.bytes);
  if (read.tooLarge !== undefined) return { ok: false, issue: { severity: 'error', code: 'too-large', message: tooLargeMessage(read.tooLarge), start: 0, end: 0 } };
  return { ok: false, issue: { severity: 'error', code: 'not-a-file', message: `${read.reason}: a config is a YAML file`, start: 0, end: 0 } };
}
