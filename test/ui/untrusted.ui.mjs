// The UI-level check of an untrusted workspace: the packaged extension in a real VS Code whose workspace
// trust is on (the harness turns it off), a folder opened in Restricted Mode, driven in headless Chromium.
// The folder's electrictown.yaml has a build command that would leave a marker file; autoApply and iterate
// are asked for in the user's and the folder's settings, and the folder's settings name another server
// binary that would leave a marker too. Proves: the extension still runs, on its own server; Run Task
// asked to iterate is refused and nothing builds; a plain run leaves its file for review in the Changes
// view, staged in the run folder, not in the workspace. Screenshots go to test-results/ui/untrusted-*.png;
// ends with its counts as JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagedVsix } from '../helpers/package-vsix.mjs';
import { captureFailure, uiChecks } from '../helpers/ui-checks.mjs';
import { notesAnswer, standInProvider } from '../helpers/stand-in-openai.mjs';
import { installExtension, launchChromium, uiHarnessOrSkip } from '../helpers/ui-harness.mjs';
import { startVsCodeServer } from '../helpers/vscode-server.mjs';
import { clearNotifications, notification, palette } from '../helpers/workbench-page.mjs';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const harness = await uiHarnessOrSkip('untrusted-workspace UI check');
const SHOTS = path.join(repository, 'test-results', 'ui');
/** The user keybinding that runs Run Task with iterate: as keybindings.json and Playwright spell it. */
const ITERATE_KEY = { binding: 'ctrl+alt+shift+u', press: 'Control+Alt+Shift+KeyU' };
const TASK = 'Write notes';
/** Restricted settings asked for in the user's and the workspace's settings; neither may apply. */
const RESTRICTED_ASKS = { 'electrictown.autoApply': true, 'electrictown.iterate': true };

const { check, finish } = uiChecks();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'electrictown-untrusted-ui-'));
const workspace = path.join(work, 'workspace');
const buildMarker = path.join(workspace, 'BUILD_RAN');
const otherServerMarker = path.join(work, 'OTHER_SERVER_RAN');
const provider = await standInProvider(notesAnswer);

/** The folder to open: a config whose build leaves a marker, and settings asking for every restricted one. */
function writeWorkspace() {
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'electrictown.yaml'), `providers:\n  standin: { type: openai, base_url: "http://127.0.0.1:${provider.address().port}/v1", auth_type: none }\ndefaults:\n  model: standin/stand-in\n  log_dir: logs\n  build_command: touch '${buildMarker}'\n`);
  // An `et` that only leaves its marker: it runs only if the workspace's electrictown.server.path is honoured.
  const otherServer = path.join(work, 'other-et');
  fs.writeFileSync(otherServer, `#!/bin/sh\ntouch '${otherServerMarker}'\nexit 1\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ ...RESTRICTED_ASKS, 'electrictown.server.path': otherServer }, null, 2));
}

/** Files named `name` under `folder`, at any depth. */
function filesNamed(folder, name) {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { recursive: true }).filter((file) => path.basename(file) === name).map((file) => path.join(folder, file));
}

writeWorkspace();
fs.mkdirSync(SHOTS, { recursive: true });
// Only this check's screenshots: the other UI check's stay.
for (const name of fs.readdirSync(SHOTS).filter((file) => file.startsWith('untrusted-'))) fs.rmSync(path.join(SHOTS, name), { recursive: true, force: true });
installExtension(harness, work, packagedVsix(repository, work));
const server = await startVsCodeServer({
  harness,
  work,
  // Trust on, and no modal at start-up: the folder opens in Restricted Mode. autoApply and iterate at the
  // user level too: VS Code drops restricted settings from an untrusted workspace's own settings, so only
  // user-level values test the extension's own guards.
  settings: { ...harness.SETTINGS, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', ...RESTRICTED_ASKS },
  keybindings: [{ key: ITERATE_KEY.binding, command: 'electrictown.runTask', args: { task: TASK, iterate: true } }],
});
let browser;
try {
  browser = await launchChromium(harness);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shot = (name) => page.screenshot({ path: path.join(SHOTS, `untrusted-${name}`) });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

  // 1. Restricted Mode, and the extension runs in it with the bundled server.
  const restricted = page.locator('[id="status.workspaceTrust"]', { hasText: 'Restricted Mode' });
  await restricted.waitFor({ timeout: 60_000 });
  check('the folder opened in Restricted Mode', true, (await restricted.innerText()).trim());
  await page.locator('.statusbar-item', { hasText: 'Electrictown' }).locator('.codicon-zap').first().waitFor({ timeout: 60_000 });
  check('the installed extension activated and its server runs', true);
  check('the workspace’s electrictown.server.path was ignored', !fs.existsSync(otherServerMarker), 'the other `et` never started');
  await shot('01-restricted-mode.png');

  // 2. Run Task asked to iterate (by a keybinding, so no prompt stands in the way) is refused.
  await page.keyboard.press(ITERATE_KEY.press);
  // A run's start failing or its end match too: a run the client did not refuse fails here, not at a deadline.
  const answer = await notification(page, /untrusted workspace does not allow|Electrictown: (run |the run could not start)/);
  check('Run Task with iterate is refused', answer.message.includes('this untrusted workspace does not allow'), `${answer.message} (${answer.where})`);
  await shot('02-iterate-refused.png');
  check('no build ran', !fs.existsSync(buildMarker));
  await clearNotifications(page);

  // 3. Run Task from the palette: iterate shows off (the setting is ignored), the file waits for review.
  await palette(page, 'Electrictown: Run Task');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Electrictown: Run Task' }).waitFor({ timeout: 10_000 });
  await page.locator('.quick-input-widget input').fill(TASK);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'new task' }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  const iterate = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Iterate until it builds' }).first();
  await iterate.waitFor({ timeout: 10_000 });
  const iterateState = (await iterate.locator('.label-description').innerText()).trim();
  const iterateDetail = (await iterate.innerText()).includes('Needs a trusted workspace');
  check('the options show iterate off and needing trust, despite the settings', iterateState === 'off' && iterateDetail, `iterate: ${iterateState}`);
  await shot('03-run-options.png');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Run' }).first().click();
  // The plan waits for approval (electrictown.approvePlan, on by default).
  const plan = page.locator('.monaco-dialog-box', { hasText: 'Electrictown planned' }).first();
  await plan.waitFor({ timeout: 30_000 });
  await plan.locator('.monaco-button', { hasText: 'Approve' }).first().click();

  const end = await notification(page, /Electrictown: (run |the run could not start|iterating runs)/);
  check('the run ended with its file to review, not applied (autoApply is ignored)', end.message.includes('1 file to review'), `${end.message} (${end.where})`);
  await shot('04-run-ended.png');
  await clearNotifications(page);
  check('the generated file is not in the workspace', !fs.existsSync(path.join(workspace, 'notes.md')));
  const staged = filesNamed(path.join(workspace, 'logs'), 'notes.md').filter((file) => file.split(path.sep).includes('proposed'));
  check('the generated file is staged in the run folder’s proposed/', staged.length === 1, staged.map((file) => path.relative(workspace, file)).join(', '));

  await page.locator('.activitybar .action-item a[aria-label^="Electrictown"]').first().click();
  const changes = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Changes' }) });
  const proposed = changes.locator('.monaco-list-row', { hasText: 'notes.md' }).first();
  await proposed.waitFor({ timeout: 10_000 });
  check('the Changes view lists the file for review', true, (await proposed.innerText()).replace(/\s+/g, ' '));
  await shot('05-changes.png');
  check('still no build ran', !fs.existsSync(buildMarker) && filesNamed(workspace, 'BUILD_RAN').length === 0);
} catch (error) {
  const built = fs.existsSync(buildMarker) ? ' (and a build ran: its marker is there)' : '';
  check('the untrusted-workspace UI flow', false, `${error?.stack ?? error}${built}`);
  await captureFailure(browser, path.join(SHOTS, 'untrusted-failure.png'));
} finally {
  await browser?.close();
  await server.stop();
  provider.close();
  fs.rmSync(work, { recursive: true, force: true });
}
finish();
