// The README's and the walkthrough's pictures, taken by the UI check from the real workbench and cropped
// to what they show: always into the check's own folder, and also into a second folder when pictures are
// being regenerated (`npm run screenshots` sets UI_SCREENSHOTS_TO=docs/screenshots), so they stay true.
import fs from 'node:fs';
import path from 'node:path';

/** Space kept around the cropped parts, in CSS pixels. */
const MARGIN = 8;

/** The smallest rectangle holding every box, with a margin, inside the page's viewport. */
export function clipAround(boxes, viewport, margin = MARGIN) {
  const x = Math.max(0, Math.min(...boxes.map((box) => box.x)) - margin);
  const y = Math.max(0, Math.min(...boxes.map((box) => box.y)) - margin);
  const right = Math.min(viewport.width, Math.max(...boxes.map((box) => box.x + box.width)) + margin);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((box) => box.y + box.height)) + margin);
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * `docShot(name, ...locators)`: a screenshot of the part of `page` the locators cover (all of them must
 * be visible: a missing part throws, failing the check), saved as `name` in `folder` and in `also`
 * (default UI_SCREENSHOTS_TO; none when unset). Resolves with the PNG's size in bytes.
 */
export function docShots(page, folder, also = process.env.UI_SCREENSHOTS_TO ? path.resolve(process.env.UI_SCREENSHOTS_TO) : undefined) {
  if (also) fs.mkdirSync(also, { recursive: true });
  return async (name, ...locators) => {
    const boxes = [];
    for (const locator of locators) {
      await locator.waitFor({ state: 'visible', timeout: 10_000 });
      const box = await locator.boundingBox();
      if (!box) throw new Error(`${name}: a part to capture is not on screen (${locator})`);
      boxes.push(box);
    }
    const png = await page.screenshot({ clip: clipAround(boxes, page.viewportSize()), path: path.join(folder, name) });
    if (also) fs.writeFileSync(path.join(also, name), png);
    return png.length;
  };
}
