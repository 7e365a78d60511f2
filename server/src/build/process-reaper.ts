// Finds everything a build step started and kills it when the step ends, times out or is cancelled.
//
// A step runs as its own session and process group, but what it starts can leave both: `setsid` gives a
// daemon a session of its own, and a double fork hands a process to init, cutting its parent chain. On
// Linux the reaper therefore reads /proc while the step runs (every WATCH_INTERVAL_MS, and again when it
// is asked to end) and tracks a process when it is in the step's session or group, descends from the
// step or from a process tracked before, or carries the step's marker variable in its environment (the
// way Jenkins finds a build's strays). A tracked process is named by pid and start time, checked again
// just before each signal, so a reused pid is left alone. Ending sends SIGTERM, waits up to
// KILL_GRACE_MS, then stops (SIGSTOP) whatever is left so nothing forks while the rest are found, and
// sends SIGKILL. Each read of /proc costs one small file read per process on the machine.
//
// Limits, honestly: a process escapes when, between two reads of /proc, it both leaves the step's
// session (setsid) and loses its parent chain (a double fork), and also drops the marker (started with a
// cleared environment, as `env -i` does); or when it runs as another user, whose environment cannot be
// read and who cannot be signalled anyway. Only a cgroup would close these gaps, and creating one needs
// privileges electrictown does not ask for. Without /proc (macOS, BSD) the reaper falls back to killing
// the step's process group, which misses whatever left the group.
import { readdirSync, readFileSync } from 'node:fs';
import { hasExited, parseProcStat, processKey, stepProcesses, type ProcessStat, type StepRoot } from './step-processes';

/** The environment variable that marks a step's processes; its value is unique to the step. */
export const STEP_MARKER_VARIABLE = 'ELECTRICTOWN_STEP';
const WATCH_INTERVAL_MS = 100;
const KILL_GRACE_MS = 2000;
/** How long SIGKILLed processes get to be gone before the reaper stops waiting on them. */
const KILL_WAIT_MS = 1000;
const SWEEP_INTERVAL_MS = 25;
/** Rounds of find-and-stop before the SIGKILL; each stops what the previous round's processes forked. */
const FREEZE_ROUNDS = 20;

const procAvailable = (() => {
  try {
    return parseProcStat(readFileSync('/proc/self/stat', 'latin1')) !== undefined;
  } catch {
    return false;
  }
})();

function readStat(pid: number): ProcessStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return undefined;
  }
}

function readProcesses(): ProcessStat[] {
  const processes: ProcessStat[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    // Read from a timer: a throw here would end electrictown, not the step.
    return processes;
  }
  for (const name of names) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const stat = readStat(Number(name));
    if (stat) processes.push(stat);
  }
  return processes;
}

function signal(pid: number, signalName: NodeJS.Signals): void {
  try {
    process.kill(pid, signalName);
  } catch {
    // Gone already, or not ours to signal.
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ProcessReaper {
  private readonly root: StepRoot;
  private readonly marker: Buffer;
  /** Key → the process as last read, for every process of the step seen and not yet gone. */
  private readonly tracked = new Map<string, ProcessStat>();
  /** Key → whether its environment carries the marker; read once per process. */
  private readonly markerRead = new Map<string, boolean>();
  private readonly signalled = new Map<NodeJS.Signals, Set<string>>();
  private readonly groupSignalled = new Set<NodeJS.Signals>();
  private timer: NodeJS.Timeout | undefined;
  private rootExited = false;
  private ending: Promise<void> | undefined;

  /** `rootPid` was spawned detached (its own session and group) with `STEP_MARKER_VARIABLE=marker`. */
  constructor(
    private readonly rootPid: number,
    marker: string,
  ) {
    this.marker = Buffer.from(`${STEP_MARKER_VARIABLE}=${marker}\0`);
    // Should the root be gone already, et's own start is a safe lower bound for its processes' starts.
    const startTime = (procAvailable ? (readStat(rootPid) ?? readStat(process.pid))?.startTime : undefined) ?? 0;
    this.root = { pid: rootPid, session: rootPid, processGroup: rootPid, startTime };
  }

  /** Reads /proc every WATCH_INTERVAL_MS until `end`, so descendants are known before they can hide. */
  watch(): void {
    if (!procAvailable) return;
    this.scan();
    this.timer = setInterval(() => this.scan(), WATCH_INTERVAL_MS);
    this.timer.unref();
  }

  /** The root process has exited (and may be reaped): its pid no longer names the group. */
  markRootExited(): void {
    this.rootExited = true;
  }

  /** Kills every process of the step; resolves once they are gone. Safe to call more than once. */
  end(): Promise<void> {
    clearInterval(this.timer);
    return (this.ending ??= this.sweep());
  }

  private scan(): void {
    const snapshot = readProcesses();
    const found = stepProcesses(snapshot, this.root, new Set(this.tracked.keys()), (candidate) => this.carriesMarker(candidate));
    const present = new Set(snapshot.map(processKey));
    for (const key of this.tracked.keys()) if (!present.has(key)) this.tracked.delete(key);
    for (const key of this.markerRead.keys()) if (!present.has(key)) this.markerRead.delete(key);
    for (const member of found) this.tracked.set(processKey(member), member);
  }

  private carriesMarker(candidate: ProcessStat): boolean {
    const key = processKey(candidate);
    let carries = this.markerRead.get(key);
    if (carries === undefined) {
      try {
        carries = readFileSync(`/proc/${candidate.pid}/environ`).includes(this.marker);
      } catch {
        carries = false;
      }
      this.markerRead.set(key, carries);
    }
    return carries;
  }

  /** The tracked processes still running, each checked again so a reused pid is left alone. */
  private running(): ProcessStat[] {
    const running: ProcessStat[] = [];
    for (const [key, tracked] of this.tracked) {
      const now = readStat(tracked.pid);
      if (now && processKey(now) === key && !hasExited(now)) running.push(now);
      else this.tracked.delete(key);
    }
    return running;
  }

  private groupExists(): boolean {
    try {
      process.kill(-this.rootPid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Sends `signalName` once to every running process of the step found so far. */
  private signalAll(signalName: NodeJS.Signals): void {
    // Read before the group is signalled: a dying parent hands its children to init, and the chain
    // from them to the step is lost.
    if (procAvailable) this.scan();
    // Once the root is reaped its pid may be reused; /proc finds the group's members without it.
    if ((!procAvailable || !this.rootExited) && !this.groupSignalled.has(signalName)) {
      this.groupSignalled.add(signalName);
      signal(-this.rootPid, signalName);
    }
    if (!procAvailable) return;
    const sent = this.signalled.get(signalName) ?? new Set<string>();
    this.signalled.set(signalName, sent);
    for (const member of this.running()) {
      const key = processKey(member);
      if (sent.has(key)) continue;
      sent.add(key);
      signal(member.pid, signalName);
    }
  }

  private anyRunning(): boolean {
    if (!procAvailable) return this.groupExists();
    this.scan();
    return this.running().length > 0;
  }

  private async waitUntilGone(ms: number, onEachRound: () => void): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.anyRunning()) {
      if (Date.now() >= deadline) return false;
      await delay(SWEEP_INTERVAL_MS);
      onEachRound();
    }
    return true;
  }

  private async sweep(): Promise<void> {
    this.signalAll('SIGTERM');
    // What the terminating processes start meanwhile gets its SIGTERM too.
    if (await this.waitUntilGone(KILL_GRACE_MS, () => this.signalAll('SIGTERM'))) return;
    for (let round = 0; round < FREEZE_ROUNDS && procAvailable; round++) {
      const before = this.signalled.get('SIGSTOP')?.size ?? 0;
      this.signalAll('SIGSTOP');
      if ((this.signalled.get('SIGSTOP')?.size ?? 0) === before) break;
    }
    this.signalAll('SIGKILL');
    await this.waitUntilGone(KILL_WAIT_MS, () => this.signalAll('SIGKILL'));
  }
}
