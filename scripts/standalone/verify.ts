// npm run verify:standalone — runs every artifact `npm run build:standalone` put in dist/, as shipped
// (unpacked into a path with a space), natively or under qemu-user: `et version`, then `et serve --stdio`
// (initialize, a broken config's diagnostics, electrictown/models against a fake provider on 127.0.0.1,
// shutdown, exit), then a session whose turn `et` starts itself where that can work under qemu. Prints
// the table arch | artifact | size | passed | start time, and exits 1 when any check failed.
// Installs qemu-user-static and Debian's cross libc packages (the qemu sysroots) when they are missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { FakeOpenAi } from '../../test/helpers/fake-openai';
import { checkServe, checkSession, checkVersion, FAKE_KEY, sessionAnswer, writeConfig, type Setup } from './checks';
import { CROSS_ARCHES, formatTable, S390X_NODE, targets, type Outcome, type Target } from './targets';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const CACHE = process.env.ET_STANDALONE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'electrictown-standalone');

function installed(debianPackage: string): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', debianPackage], { encoding: 'utf8' }) === 'install ok installed';
  } catch {
    return false;
  }
}

function installMissingPackages(): void {
  const wanted = ['qemu-user-static', ...CROSS_ARCHES.flatMap((arch) => [`libc6-${arch}-cross`, `libstdc++6-${arch}-cross`, `libgcc-s1-${arch}-cross`])];
  const missing = wanted.filter((name) => !installed(name));
  if (missing.length === 0) return;
  console.log(`installing ${missing.join(' ')}`);
  // Through env, because sudo drops the caller's environment.
  const [command, ...prefix] = [...(process.getuid?.() === 0 ? [] : ['sudo']), 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  const apt = (...args: string[]) => execFileSync(command, [...prefix, ...args], { stdio: 'inherit' });
  apt('update', '-qq');
  apt('install', '-y', '-qq', '--no-install-recommends', ...missing);
}

/** The big-endian stand-in's node, from the npm registry, cached beside the build's downloads. */
function s390xNode(): string {
  const directory = path.join(CACHE, `${S390X_NODE.npmPackage}-${S390X_NODE.version}`);
  const node = path.join(directory, 'package', 'bin', 'node');
  if (!existsSync(node)) {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    const tarball = execFileSync('npm', ['pack', '--silent', `${S390X_NODE.npmPackage}@${S390X_NODE.version}`], { cwd: directory, encoding: 'utf8' }).trim();
    execFileSync('tar', ['xzf', tarball], { cwd: directory });
    rmSync(path.join(directory, tarball));
  }
  return node;
}

/** The artifact unpacked as a user would: the executable, or the tarball's folder. */
function unpack(target: Target, into: string): string {
  mkdirSync(into, { recursive: true });
  const artifact = path.join(DIST, target.artifact);
  if (target.form === 'xz') {
    const executable = path.join(into, 'et');
    execFileSync('sh', ['-c', 'xz -dc "$1" > "$2" && chmod 755 "$2"', 'unpack', artifact, executable]);
    return executable;
  }
  execFileSync('tar', ['-xJf', artifact, '-C', into]);
  return path.join(into, target.artifact.replace(/\.tar\.xz$/, ''));
}

async function verify(target: Target, scratch: string, fake: FakeOpenAi, version: string): Promise<Outcome> {
  const artifact = path.join(DIST, target.artifact);
  if (!existsSync(artifact)) return { target, bytes: 0, failures: [`dist/${target.artifact} is missing: run npm run build:standalone`], startMs: undefined };
  let unpacked: string;
  try {
    unpacked = unpack(target, path.join(scratch, 'un packed', target.arch));
  } catch (error) {
    return { target, bytes: statSync(artifact).size, failures: [`cannot unpack dist/${target.artifact}: ${String(error).split('\n')[0]}`], startMs: undefined };
  }
  const directory = mkdtempSync(path.join(scratch, `work-${target.arch}-`));
  const config = writeConfig(directory, fake.baseUrl);
  const setup: Setup = { command: target.command(unpacked), env: { PATH: process.env.PATH, HOME: directory, ET_TEST_OPENAI_KEY: FAKE_KEY, ...target.env(unpacked) }, directory };
  const failures: string[] = [];
  const attempt = async <T>(check: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await check();
    } catch (error) {
      failures.push(error instanceof Error ? error.message.split('\n')[0] : String(error));
      return undefined;
    }
  };
  const startMs = await attempt(() => checkVersion(setup, version));
  await attempt(() => checkServe(setup, version, config));
  if (target.selfSpawn) await attempt(() => checkSession(setup, config));
  return { target, bytes: statSync(artifact).size, failures, startMs };
}

async function main(): Promise<number> {
  installMissingPackages();
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const fake = await FakeOpenAi.start();
  fake.respondWith(() => ({ kind: 'answer', text: sessionAnswer(), usage: { prompt: 50, completion: 10 } }));
  const scratch = mkdtempSync(path.join(tmpdir(), 'et-standalone-verify-'));
  const outcomes: Outcome[] = [];
  try {
    for (const target of targets(s390xNode())) {
      const started = Date.now();
      const outcome = await verify(target, scratch, fake, version);
      console.log(`${target.arch} ${target.artifact}: ${outcome.failures.length === 0 ? 'passed' : `FAILED: ${outcome.failures.join('; ')}`} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      outcomes.push(outcome);
    }
  } finally {
    await fake.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\n${formatTable(outcomes)}\n`);
  return outcomes.every((outcome) => outcome.failures.length === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`verify-standalone: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
