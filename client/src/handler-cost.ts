// What one handler on the extension host cost: its wall time, and (where Node can say: 22.19 / 23.9
// and later) the CPU time of the host's own thread. On a busy machine the wall time also counts the
// time the thread was not scheduled at all; the thread's CPU time is the handler's own work.

export interface HandlerCost {
  wallMs: number;
  cpuMs: number | undefined;
}

type ThreadCpuUsage = () => { user: number; system: number };
const threadCpuUsage = (process as unknown as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage?.bind(process);

const cpuMicros = () => {
  if (!threadCpuUsage) return undefined;
  const { user, system } = threadCpuUsage();
  return user + system;
};

/** Runs `handler` and adds what it cost to `slowest` (the most of each so far). */
export function measured<T>(slowest: HandlerCost, handler: () => T): T {
  const cpuBefore = cpuMicros();
  const started = performance.now();
  try {
    return handler();
  } finally {
    slowest.wallMs = Math.max(slowest.wallMs, performance.now() - started);
    const cpuAfter = cpuMicros();
    if (cpuBefore !== undefined && cpuAfter !== undefined) slowest.cpuMs = Math.max(slowest.cpuMs ?? 0, (cpuAfter - cpuBefore) / 1000);
  }
}

export const noCost = (): HandlerCost => ({ wallMs: 0, cpuMs: undefined });
