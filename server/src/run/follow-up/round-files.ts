// The files of a round that the next one would overwrite — the gates' logs (`_gate_*.log`,
// `_build_iterN.log` in older runs) and `diffs.json` — set aside in `round-N/` as the next round opens,
// so every round's logs and diffs stay readable; the round's record points at where its logs went.
import { mkdir, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { BuildRecord } from '../../protocol';
import { DIFFS_FILE } from '../kept-diffs';

/** `round-2`: where round 2's logs and diffs go once round 3 starts. */
export function roundFolderName(round: number): string {
  return `round-${round}`;
}

/** The run folder's files that belong to the round that wrote them last. Pure. */
export function isRoundFile(name: string): boolean {
  return name === DIFFS_FILE || /^_(gate_.+|build_iter\d+)\.log$/.test(name);
}

/** The round's build with its logs where they are set aside (relative to the run folder). Pure. */
export function setAsideBuild(build: BuildRecord, round: number): BuildRecord {
  const folder = roundFolderName(round);
  const moved = (log: string) => (isRoundFile(log) ? `${folder}/${log}` : log);
  return {
    ...build,
    ...(build.setup ? { setup: build.setup.map((step) => ({ ...step, log: moved(step.log) })) } : {}),
    attempts: build.attempts.map((attempt) => ({ ...attempt, log: moved(attempt.log) })),
  };
}

/** Moves the ended round's logs and diffs into `round-N/`; returns the names moved. */
export async function setRoundFilesAside(directory: string, round: number): Promise<string[]> {
  const names = (await readdir(directory)).filter(isRoundFile);
  if (names.length === 0) return [];
  const folder = path.join(directory, roundFolderName(round));
  await mkdir(folder, { recursive: true });
  for (const name of names) await rename(path.join(directory, name), path.join(folder, name));
  return names;
}
