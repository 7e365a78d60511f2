import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hasExited, parseProcStat, processKey, stepProcesses, type ProcessStat } from '../../../server/src/build/step-processes';

/** A /proc/<pid>/stat line with the fields that matter; the rest as the kernel writes them. */
const statLine = (pid: number, comm: string, state: string, ppid: number, group: number, session: number, startTime: number) =>
  `${pid} (${comm}) ${state} ${ppid} ${group} ${session} 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 ${startTime} 12345678 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n`;

const proc = (pid: number, ppid: number, session: number, startTime: number, group = session): ProcessStat => ({ pid, ppid, processGroup: group, session, startTime, state: 'S' });

describe('the processes of a build step', () => {
  it('reads /proc/<pid>/stat, whatever the command name holds', () => {
    assert.deepEqual(parseProcStat(statLine(4242, 'odd) (name S 1 2', 'Z', 7, 8, 9, 98765)), { pid: 4242, ppid: 7, processGroup: 8, session: 9, startTime: 98765, state: 'Z' });
    const own = parseProcStat(process.platform === 'linux' ? readFileSync('/proc/self/stat', 'latin1') : statLine(process.pid, 'node', 'R', process.ppid, 1, 1, 1));
    assert.deepEqual([own?.pid, own?.ppid, own?.state], [process.pid, process.ppid, 'R']);
    assert.equal(parseProcStat('garbage'), undefined);
    assert.equal(parseProcStat('12 (x) S 1 2'), undefined);
    assert.equal(hasExited({ ...proc(1, 0, 1, 0), state: 'Z' }), true);
    assert.equal(hasExited(proc(1, 0, 1, 0)), false);
    assert.equal(processKey(proc(12, 1, 1, 345)), '12@345');
  });

  it('tracks the session and group, parent chains, processes seen before, and the marker', () => {
    const root = { pid: 100, session: 100, processGroup: 100, startTime: 1000 };
    const snapshot = [
      proc(1, 0, 1, 0),
      proc(100, 50, 100, 1000),
      proc(101, 100, 100, 1001), // in the session
      proc(102, 101, 102, 1002), // setsid, its parent still alive: by the chain
      proc(103, 102, 103, 1003), // below it
      proc(104, 1, 104, 1004), // handed to init, seen before
      proc(105, 1, 105, 1005), // handed to init, carries the marker
      proc(106, 1, 106, 1006), // someone else's, started later
      proc(107, 1, 107, 900), // started before the step: never the step's, marker or not
      proc(108, 1, 108, 1008, 100), // in the step's group only
      proc(109, 1, 109, 1009), // a reused pid: 109 was the step's, but started at 999
      proc(200, 201, 200, 1010),
      proc(201, 200, 201, 1011), // a cycle in a torn snapshot ends
    ];
    const asked: number[] = [];
    const marked = (process: ProcessStat) => {
      asked.push(process.pid);
      return process.pid === 105 || process.pid === 107;
    };
    const found = stepProcesses(snapshot, root, new Set(['104@1004', '109@999']), marked).map((process) => process.pid);
    assert.deepEqual(found, [100, 101, 102, 103, 104, 105, 108]);
    assert.deepEqual(asked.sort(), [105, 106, 109, 200, 201]);
  });
});
