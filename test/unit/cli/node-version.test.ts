import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isOlderThan, MINIMUM_NODE_VERSION } from '../../../server/src/node-version';

describe('the oldest Node et runs on', () => {
  it('is what package.json engines.node says', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { engines: { node: string } };
    assert.equal(manifest.engines.node, `>=${MINIMUM_NODE_VERSION}`);
  });

  it('compares versions by number, not as text', () => {
    assert.equal(isOlderThan('20.9.0', '20.11.0'), true);
    assert.equal(isOlderThan('18.20.4', '20.11.0'), true);
    assert.equal(isOlderThan('20.11.0', '20.11.0'), false);
    assert.equal(isOlderThan('20.20.2', '20.11.0'), false);
    assert.equal(isOlderThan('22.1.0', '20.11.0'), false);
  });
});
