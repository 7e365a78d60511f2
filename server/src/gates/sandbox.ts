// Gates run code a model wrote. Where bubblewrap (`bwrap`) works, each gate step runs with the whole
// file system read-only but for the output folder, the temp folder, the tool caches (Go's, npm's,
// cargo's, pip's) and the setup's own folders (a Python venv), and — but for the setup step, which
// downloads dependencies — without a network. Where it does not (not installed, no user namespaces, not
// Linux), gates run as before and the run says they were not sandboxed. The decision of what a step may
// write is pure; the probe runs bwrap once per process.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { onPath } from './gate-plan';

export type Sandbox = { kind: 'bwrap'; writable: readonly string[] } | { kind: 'none'; reason: string };

/** What a step runs as inside the sandbox: bwrap's arguments, then the step. Pure. */
export function sandboxedStep(step: readonly string[], writable: readonly string[], network: boolean): string[] {
  return ['bwrap', '--die-with-parent', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', ...writable.flatMap((folder) => ['--bind', folder, folder]), ...(network ? [] : ['--unshare-net']), '--', ...step];
}

/** The cache folders tools write to even offline, from the environment or their defaults under $HOME. */
export function cacheFolders(environment: NodeJS.ProcessEnv, home: string): string[] {
  const given = ['GOCACHE', 'GOMODCACHE', 'GOPATH', 'npm_config_cache', 'CARGO_HOME', 'PIP_CACHE_DIR', 'XDG_CACHE_HOME'].map((name) => environment[name]).filter((value): value is string => value !== undefined && path.isAbsolute(value));
  return [...new Set([...given, path.join(home, '.cache'), path.join(home, '.npm'), path.join(home, '.cargo'), path.join(home, 'go')])];
}

let probed: Promise<string | undefined> | undefined;

/** Whether bwrap can make a sandbox here: undefined when it can, else why not. Asked once per process. */
function probe(): Promise<string | undefined> {
  probed ??= new Promise((resolve) => {
    if (process.platform !== 'linux') return resolve(`bwrap is for Linux (this is ${process.platform})`);
    if (!onPath('bwrap')) return resolve('bwrap is not installed (Debian: apt-get install bubblewrap)');
    const child = spawn('bwrap', [...sandboxedStep(['true'], [], false)].slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.on('error', (error) => resolve(`bwrap cannot start: ${error.message}`));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : `bwrap cannot make a sandbox here: ${stderr.trim().split('\n')[0] || `exit ${code}`}`);
    });
  });
  return probed;
}

const realFolder = (folder: string) => {
  try {
    return realpathSync(folder);
  } catch {
    return undefined;
  }
};

/**
 * The sandbox for one run's gates: `outputDirectory` and `extra` (the setup's folders, made if missing)
 * writable, with the temp folder and the caches that exist ($HOME/.cache is made if missing: Go and pip
 * need it). `enabled: false` (the user asked): none.
 */
export async function openSandbox(outputDirectory: string, extra: readonly string[], enabled = true): Promise<Sandbox> {
  if (!enabled) return { kind: 'none', reason: 'the sandbox is turned off (--no-sandbox)' };
  const problem = await probe();
  if (problem !== undefined) return { kind: 'none', reason: problem };
  const home = homedir();
  mkdirSync(path.join(home, '.cache'), { recursive: true });
  for (const folder of extra) mkdirSync(folder, { recursive: true });
  const candidates = [outputDirectory, tmpdir(), ...extra, ...cacheFolders(process.env, home)];
  const writable = [...new Set(candidates.filter((folder) => existsSync(folder)).map(realFolder).filter((folder): folder is string => folder !== undefined))];
  return { kind: 'bwrap', writable };
}

/** How a step of a gate of this kind runs in the sandbox: the setup keeps the network, the gates do not. */
export function wrapFor(sandbox: Sandbox, kind: 'setup' | 'build' | 'test' | 'lint'): ((step: readonly string[], cwd: string) => string[]) | undefined {
  if (sandbox.kind === 'none') return undefined;
  // A command that is not there runs nothing: it is left to the spawn to say "command not found".
  const exists = (command: string, cwd: string) => (command.includes('/') ? existsSync(path.resolve(cwd, command)) : onPath(command));
  return (step, cwd) => (step[0] !== undefined && exists(step[0], cwd) ? sandboxedStep(step, sandbox.writable, kind === 'setup') : [...step]);
}

export function describeSandbox(sandbox: Sandbox): string {
  return sandbox.kind === 'bwrap' ? 'sandboxed with bwrap: no network (but for the setup), writes only to the output folder, the temp folder and the tool caches' : `not sandboxed: ${sandbox.reason}`;
}
