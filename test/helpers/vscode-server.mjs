// The VS Code server (server-main.js) with workspace trust left on, for the UI check of an untrusted
// workspace. The harness's startCodeServer always passes --disable-workspace-trust, which makes the web
// workbench trust every folder; otherwise this starts it the same way: 127.0.0.1 on a free port, temp and
// XDG folders inside `work`, its own process group so stop() ends it with its extension hosts.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { serverMain } from './ui-harness.mjs';

const START_TIMEOUT_MS = 60_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * Starts the server for the user-data folder `work`/user-data, writing its User/settings.json and
 * User/keybindings.json first; resolves once it listens, with its URL and stop().
 */
export async function startVsCodeServer({ harness, work, settings, keybindings = [] }) {
  const userData = path.join(work, 'user-data');
  const extensions = path.join(work, 'extensions');
  const temp = path.join(work, 'tmp');
  for (const folder of [path.join(userData, 'User'), extensions, temp]) fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  fs.writeFileSync(path.join(userData, 'User', 'keybindings.json'), JSON.stringify(keybindings, null, 2));

  const port = await freePort();
  const args = [serverMain(harness), '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver', '--disable-telemetry', '--server-data-dir', path.join(work, 'server-data'), '--user-data-dir', userData, '--extensions-dir', extensions];
  const child = spawn(harness.node, args, {
    env: { ...process.env, TMPDIR: temp, XDG_DATA_HOME: path.join(work, 'xdg-data'), XDG_CONFIG_HOME: path.join(work, 'xdg-config') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const log = fs.createWriteStream(path.join(work, 'server.log'));
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the VS Code server did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      log.write(chunk);
      if (/Extension host agent listening on/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the VS Code server exited (${code}) before it listened:\n${output}`));
    });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    signalGroup(child, 'SIGTERM');
    const killed = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(killed);
    // Anything of the group that outlived the server (an extension host, a language server).
    signalGroup(child, 'SIGKILL');
  };
  return { url: `http://127.0.0.1:${port}`, stop, output: () => output };
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group has already gone.
  }
}
