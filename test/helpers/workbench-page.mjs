// Driving the web workbench in a Playwright page the way a user would, for the UI checks: the command
// palette, notifications, virtualised lists. Every wait is on the DOM, with a deadline.

/** Runs `title` from the command palette (F1). */
export async function palette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/**
 * Waits for a notification whose text matches `text` (a string or RegExp); resolves with where it was
 * seen and its message. A toast already on screen counts; otherwise the notification center is opened and
 * watched, since the web workbench sometimes holds a toast back (the center lists every notification).
 */
export async function notification(page, text, timeout = 30_000) {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  if (await toast.isVisible()) return { where: 'toast', message: await messageOf(toast) };
  await palette(page, 'Notifications: Show Notifications');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  const row = page.locator('.notifications-center .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout });
  return { where: 'notification center', message: await messageOf(row) };
}

const messageOf = async (item) => (await item.locator('.notification-list-item-message').innerText()).trim();

/** Clears every notification (so the next wait sees only new ones) and closes the center. */
export async function clearNotifications(page) {
  await palette(page, 'Notifications: Clear All Notifications');
  if (await page.locator('.notifications-center.visible').isVisible()) await palette(page, 'Notifications: Hide Notifications');
}

/** `row` in a virtualised list: the list is scrolled down until the row is rendered. */
export async function scrolledTo(page, listSelector, row) {
  const list = page.locator(listSelector).first();
  await list.waitFor({ timeout: 20_000 });
  for (let scrolls = 0; scrolls < 40; scrolls++) {
    if (await row.isVisible()) return row;
    await list.hover();
    await page.mouse.wheel(0, 300);
    await row.waitFor({ timeout: 250 }).catch(() => undefined);
  }
  await row.waitFor({ timeout: 5_000 });
  return row;
}
