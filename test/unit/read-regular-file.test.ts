import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfigFile } from '../../server/src/config/read-config-file';
import { readRegularFile } from '../../server/src/read-regular-file';

describe('reading a file that must be a file', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'et-regular-'));

  it('reads a regular file whole, and refuses one past the bound', async () => {
    const file = path.join(folder, 'a.txt');
    writeFileSync(file, 'x'.repeat(300_000));
    const read = await readRegularFile(file, 300_000);
    assert.equal(read.ok && read.bytes.length, 300_000);
    assert.deepEqual(await readRegularFile(file, 299_999), { ok: false, reason: 'it is larger than the limit of 299,999 bytes', tooLarge: 300_000 });
    writeFileSync(file, '');
    const empty = await readRegularFile(file, 10);
    assert.equal(empty.ok && empty.bytes.length, 0);
  });

  it('refuses /dev/zero, a named pipe and a folder at once, saying what they are', async () => {
    assert.deepEqual(await readRegularFile('/dev/zero', 1000), { ok: false, reason: 'it is a device, not a file' });
    const fifo = path.join(folder, 'pipe');
    execFileSync('mkfifo', [fifo]);
    assert.deepEqual(await readRegularFile(fifo, 1000), { ok: false, reason: 'it is a named pipe, not a file' });
    assert.deepEqual(await readRegularFile(folder, 1000), { ok: false, reason: 'it is a folder' });
  });

  it('gives a config at /dev/zero or a pipe an issue, not an endless read', async () => {
    const issue = await readConfigFile('/dev/zero');
    assert.deepEqual(issue, { ok: false, issue: { severity: 'error', code: 'not-a-file', message: 'it is a device, not a file: a config is a YAML file', start: 0, end: 0 } });
  });
});
