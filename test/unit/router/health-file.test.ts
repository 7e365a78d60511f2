// The shared endpoint health file: its format (pure), and writers that merge under a lock, a file that
// is not ours, and a lock left by a killed process — each said once, none a crash.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CooldownRecord } from '../../../server/src/router/cooldowns';
import { HEALTH_FILE_NAME, HealthFile } from '../../../server/src/router/health-file';
import { mergeHealth, parseHealth, serializeHealth, type HealthEntries } from '../../../server/src/router/health-file-format';

const HOUR = 60 * 60_000;
const resting = (until: number, updated: number, errorClass: 'rate_limit' | 'quota_exhausted' | 'network' = 'rate_limit'): CooldownRecord => ({ cooldown: { until, errorClass }, updated });
const healthy = (updated: number): CooldownRecord => ({ cooldown: undefined, updated });

describe('endpoint health file', () => {
  describe('format', () => {
    it('round-trips what it writes', () => {
      const entries: HealthEntries = new Map([
        ['openai https://api.openai.com/v1 gpt-4.1', resting(5000, 1000, 'quota_exhausted')],
        ['ollama http://gpu-2:11434 llama3.2', healthy(2000)],
      ]);
      const parsed = parseHealth(serializeHealth(entries));
      assert.ok(parsed.ok);
      assert.deepEqual(parsed.entries, entries);
    });

    it('refuses a file that is not what it writes, saying what is wrong', () => {
      const problem = (text: string) => {
        const parsed = parseHealth(text);
        return parsed.ok ? 'parsed' : parsed.problem;
      };
      assert.equal(problem('{"version":1,"endpoints":{'), 'it is not JSON');
      assert.equal(problem('[]'), 'it is not a JSON object');
      assert.equal(problem('{"version":2,"endpoints":{}}'), 'its version is 2, not 1');
      assert.equal(problem('{"version":1,"endpoints":{"x":{"until":"soon","updated":1}}}'), 'the entry for "x" is not {until, errorClass, updated}');
      // A class that never rests an endpoint for others (auth is the config's) is not ours either.
      assert.equal(problem('{"version":1,"endpoints":{"x":{"until":9,"errorClass":"auth","updated":1}}}'), 'the entry for "x" is not {until, errorClass, updated}');
    });

    it('merges endpoint by endpoint, the later word winning, and drops what says nothing any more', () => {
      const now = 10 * HOUR;
      const theirs: HealthEntries = new Map([
        ['a', resting(now + 5000, now - 100)],
        ['b', resting(now + 5000, now - 50)],
        ['old-rest', resting(now - 1, now - 2 * HOUR)],
        ['old-recovery', healthy(now - 2 * HOUR)],
        ['ended', resting(now - 1, now - 1000)],
      ]);
      const ours: HealthEntries = new Map([
        ['a', healthy(now - 10)],
        ['b', healthy(now - 500)],
        ['c', resting(now + 9000, now, 'network')],
      ]);
      assert.deepEqual(
        mergeHealth(theirs, ours, now),
        new Map([
          ['a', healthy(now - 10)],
          ['b', resting(now + 5000, now - 50)],
          // A rest that ended is kept as a recovery while a rest elsewhere could still be older than it.
          ['ended', healthy(now - 1000)],
          ['c', resting(now + 9000, now, 'network')],
        ]),
      );
    });
  });

  describe('on disk', () => {
    let directory: string;
    let warnings: string[];
    beforeEach(() => {
      directory = mkdtempSync(path.join(tmpdir(), 'et-health-'));
      warnings = [];
    });
    const file = () => new HealthFile(directory, (message) => warnings.push(message));
    const onDisk = () => {
      const parsed = parseHealth(readFileSync(path.join(directory, HEALTH_FILE_NAME), 'utf8'));
      assert.ok(parsed.ok);
      return parsed.entries;
    };

    it('keeps every writer’s entries when many write at once, and leaves no lock or temporary file', async () => {
      const now = Date.now();
      const writers = Array.from({ length: 12 }, () => file());
      const written = await Promise.all(writers.map((writer, index) => writer.write(new Map([[`endpoint-${index}`, resting(now + 60_000, now)]]), now)));
      assert.ok(written.every((merged) => merged !== undefined));
      assert.deepEqual([...onDisk().keys()].sort(), Array.from({ length: 12 }, (_, index) => `endpoint-${index}`).sort());
      assert.deepEqual(readdirSync(directory), [HEALTH_FILE_NAME]);
      assert.deepEqual(warnings, []);
    });

    it('reads the file only when it changed', async () => {
      const reader = file();
      assert.equal(await reader.readIfChanged(), undefined, 'no file yet');
      const now = Date.now();
      await file().write(new Map([['a', resting(now + 60_000, now)]]), now);
      assert.deepEqual([...((await reader.readIfChanged()) ?? new Map()).keys()], ['a']);
      assert.equal(await reader.readIfChanged(), undefined);
    });

    it('ignores a corrupted file with one warning, and rewrites it whole', async () => {
      writeFileSync(path.join(directory, HEALTH_FILE_NAME), '{"version":1,"endpoints":{"a":');
      const store = file();
      assert.deepEqual(await store.readIfChanged(), new Map());
      const now = Date.now();
      await store.write(new Map([['b', resting(now + 60_000, now)]]), now);
      await store.write(new Map([['c', resting(now + 60_000, now)]]), now);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /endpoint-health\.json is not an endpoint health file \(it is not JSON\): it is ignored and will be rewritten/);
      assert.deepEqual([...onDisk().keys()], ['b', 'c']);
    });

    it('takes over a lock left by a killed process, with one warning naming it', async () => {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      const pid = child.pid ?? 0;
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const lock = path.join(directory, `${HEALTH_FILE_NAME}.lock`);
      writeFileSync(lock, `${pid} ${Date.now()}\n`);
      const now = Date.now();
      const merged = await file().write(new Map([['a', resting(now + 60_000, now)]]), now);
      assert.ok(merged);
      assert.deepEqual([...onDisk().keys()], ['a']);
      assert.equal(existsSync(lock), false);
      assert.deepEqual(warnings, [`${lock} was left by process ${pid}, which has ended: the lock is taken over`]);
    });

    it('keeps its changes for later when a live process holds the lock, without waiting long', async () => {
      const lock = path.join(directory, `${HEALTH_FILE_NAME}.lock`);
      writeFileSync(lock, `${process.pid} ${Date.now()}\n`);
      const started = Date.now();
      const now = Date.now();
      assert.equal(await file().write(new Map([['a', resting(now + 60_000, now)]]), now), undefined);
      assert.ok(Date.now() - started < 3000, `gave up after ${Date.now() - started} ms`);
      assert.equal(existsSync(path.join(directory, HEALTH_FILE_NAME)), false);
      assert.deepEqual(warnings, []);
    });
  });
});
