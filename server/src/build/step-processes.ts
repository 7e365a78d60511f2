// Which running processes belong to a build step, decided from snapshots of /proc. Pure: reading /proc
// and sending signals happen in process-reaper.ts.

/** The fields of `/proc/<pid>/stat` that matter here (proc(5)). */
export interface ProcessStat {
  pid: number;
  ppid: number;
  processGroup: number;
  session: number;
  /** Clock ticks after boot; with the pid it names one process even when pids are reused. */
  startTime: number;
  /** One letter: R, S, D, T, Z (exited, not yet reaped), X (dead)… */
  state: string;
}

/** The process a step was started as. */
export interface StepRoot {
  pid: number;
  session: number;
  processGroup: number;
  startTime: number;
}

/** `/proc/<pid>/stat` read; undefined when it is not in that shape. */
export function parseProcStat(text: string): ProcessStat | undefined {
  // The command name, in parentheses, may hold spaces and parentheses itself: the fields after it
  // start after the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open));
  // fields[0] is field 3 of proc(5) (state); field n is fields[n - 3].
  const fields = text.slice(close + 2).split(' ');
  const [ppid, processGroup, session, startTime] = [fields[1], fields[2], fields[3], fields[19]].map(Number);
  const state = fields[0];
  if (!state || ![pid, ppid, processGroup, session, startTime].every(Number.isInteger)) return undefined;
  return { pid, ppid, processGroup, session, startTime, state };
}

/** Has exited: a zombie waits for its parent to reap it but runs no more. */
export function hasExited(stat: ProcessStat): boolean {
  return stat.state === 'Z' || stat.state === 'X' || stat.state === 'x';
}

/** Names one process across snapshots; a reused pid gets another key. */
export function processKey(stat: Pick<ProcessStat, 'pid' | 'startTime'>): string {
  return `${stat.pid}@${stat.startTime}`;
}

/**
 * The step's processes in `snapshot`: those in the step's session or process group, those tracked in an
 * earlier snapshot (`tracked`, by key), those whose parent chain reaches one of these, and those
 * `carriesMarker` recognises (the step's environment marker, inherited across setsid and double forks).
 * Nothing started before the step can be one of its processes, which keeps `carriesMarker`'s reads few.
 */
export function stepProcesses(snapshot: readonly ProcessStat[], root: StepRoot, tracked: ReadonlySet<string>, carriesMarker: (candidate: ProcessStat) => boolean): ProcessStat[] {
  const byPid = new Map(snapshot.map((stat) => [stat.pid, stat]));
  const decided = new Map<number, boolean>();
  const belongs = (stat: ProcessStat): boolean => {
    const known = decided.get(stat.pid);
    if (known !== undefined) return known;
    // Settled before recursing, so a cycle of ppids in a torn snapshot ends.
    decided.set(stat.pid, false);
    let result = false;
    if (stat.startTime >= root.startTime) {
      const parent = stat.ppid === stat.pid ? undefined : byPid.get(stat.ppid);
      result = stat.session === root.session || stat.processGroup === root.processGroup || tracked.has(processKey(stat)) || (parent !== undefined && belongs(parent)) || carriesMarker(stat);
    }
    decided.set(stat.pid, result);
    return result;
  };
  return snapshot.filter(belongs);
}
