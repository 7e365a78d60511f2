// What `npm run verify:standalone` runs: each artifact of dist/, unpacked, and the command that starts
// it on this x86-64 host — natively, or under qemu-user with Debian's cross libc as the sysroot
// (qemu-<arch>-static -L /usr/<triplet>), invoked explicitly so no binfmt_misc set-up is needed.
import path from 'node:path';

export interface Target {
  arch: string;
  /** The file in dist/. */
  artifact: string;
  /** How it is unpacked: one executable, or a folder. */
  form: 'xz' | 'tar.xz';
  /** The command that is `et`, given the folder it was unpacked into. */
  command: (unpacked: string) => string[];
  /** Environment the command needs (the emulator for a launcher, the user's node). */
  env: (unpacked: string) => Record<string, string>;
  /**
   * Whether `et` can start itself again here (a session's background turn). Not for a SEA under
   * explicit qemu: its process.execPath is the foreign binary, which only binfmt could run.
   */
  selfSpawn: boolean;
  note: string;
}

/** Debian's cross packages that make /usr/<triplet> a sysroot qemu can use. */
export const CROSS_ARCHES = ['arm64', 'ppc64el', 's390x'] as const;

/** The big-endian Node that stands in for ppc64's: npm carries no Node for ppc64 big-endian. */
export const S390X_NODE = { npmPackage: 'node-linux-s390x', version: '20.11.0' } as const;

const emulated = (qemu: string, triplet: string) => (file: string) => [`qemu-${qemu}-static`, '-L', `/usr/${triplet}`, file];

export function targets(s390xNode: string): Target[] {
  return [
    { arch: 'amd64', artifact: 'et-linux-amd64.xz', form: 'xz', command: (file) => [file], env: () => ({}), selfSpawn: true, note: 'native' },
    { arch: 'arm64', artifact: 'et-linux-arm64.xz', form: 'xz', command: emulated('aarch64', 'aarch64-linux-gnu'), env: () => ({}), selfSpawn: false, note: 'qemu-aarch64-static' },
    { arch: 'ppc64le', artifact: 'et-linux-ppc64le.xz', form: 'xz', command: emulated('ppc64le', 'powerpc64le-linux-gnu'), env: () => ({}), selfSpawn: false, note: 'qemu-ppc64le-static' },
    {
      arch: 'riscv64',
      artifact: 'et-linux-riscv64.tar.xz',
      form: 'tar.xz',
      command: (folder) => [path.join(folder, 'et')],
      env: () => ({ ET_EMULATOR: 'qemu-riscv64-static' }),
      selfSpawn: true,
      note: 'qemu-riscv64-static, its own loader and libraries',
    },
    {
      arch: 'ppc64',
      artifact: 'et-noarch.tar.xz',
      form: 'tar.xz',
      command: (folder) => [path.join(folder, 'et')],
      env: () => ({ NODE: s390xNode, ET_EMULATOR: 'qemu-s390x-static -L /usr/s390x-linux-gnu' }),
      selfSpawn: true,
      note: `big-endian stand-in: ${S390X_NODE.npmPackage}@${S390X_NODE.version} under qemu-s390x-static`,
    },
    {
      arch: 'any',
      artifact: 'et-noarch.tar.xz',
      form: 'tar.xz',
      command: (folder) => [path.join(folder, 'et')],
      env: () => ({ NODE: process.execPath }),
      selfSpawn: true,
      note: `this host's node ${process.version}`,
    },
  ];
}

export interface Outcome {
  target: Target;
  bytes: number;
  /** Names of the checks that failed, with why. */
  failures: string[];
  /** `et version`'s wall time, median of 3, in ms. */
  startMs: number | undefined;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The verify table, in Markdown. */
export function formatTable(outcomes: readonly Outcome[]): string {
  const rows = outcomes.map(({ target, bytes, failures, startMs }) => {
    const passed = failures.length === 0 ? 'yes' : `**no**: ${failures.join('; ')}`;
    return `| ${target.arch} | ${target.artifact} | ${megabytes(bytes)} | ${passed} | ${startMs === undefined ? '-' : `${startMs} ms`} | ${target.note} |`;
  });
  return ['| arch | artifact | size | passed | start time | runs on |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
