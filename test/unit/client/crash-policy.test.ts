// A server that dies is started again, until it has died too often lately.
import assert from 'node:assert/strict';
import { CRASH_WINDOW_MS, restartsAfterCrash } from '../../../client/src/crash-policy';

describe('restarting a server that died', () => {
  it('starts it again for the first three deaths in three minutes, then leaves it to the user', () => {
    const now = 10 * CRASH_WINDOW_MS;
    assert.equal(restartsAfterCrash([], now), true);
    assert.equal(restartsAfterCrash([now - 1000, now - 2000], now), true);
    assert.equal(restartsAfterCrash([now - 1000, now - 2000, now - 3000], now), false);
  });

  it('forgets deaths older than the window', () => {
    const now = 10 * CRASH_WINDOW_MS;
    assert.equal(restartsAfterCrash([now - CRASH_WINDOW_MS - 1, now - CRASH_WINDOW_MS - 2, now - 1000], now), true);
  });
});
