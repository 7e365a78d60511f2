// What every benchmark needs: the median of samples, and a fake server started in its own process (so
// its CPU is not counted as the subject's) that prints its port on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Starts `bench/<script>` and waits for the port it prints. */
export async function startFakeServer(script: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [path.join(__dirname, script)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
    child.once('error', reject);
  });
  return { child, port };
}
