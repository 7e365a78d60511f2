import assert from 'node:assert/strict';
import path from 'node:path';
import { actualIssueLines, CONFIG_FIXTURES, expectedIssueLines, fixtureNames } from '../../helpers/config-fixtures';

describe('config fixtures: every issue, in document order, at its exact range', () => {
  for (const kind of ['invalid', 'valid'] as const) {
    for (const name of fixtureNames(kind)) {
      it(`${kind}/${name}`, () => {
        const file = path.join(CONFIG_FIXTURES, kind, name);
        const actual = actualIssueLines(file);
        assert.deepEqual(actual, expectedIssueLines(file));
        const hasError = actual.some((line) => / error \[/.test(line));
        assert.equal(hasError, kind === 'invalid', kind === 'invalid' ? 'an invalid fixture must have an error' : 'a valid fixture must have no error');
      });
    }
  }

  it('ten-mistakes.yaml reports at least ten different problems', () => {
    const codes = new Set(actualIssueLines(path.join(CONFIG_FIXTURES, 'invalid', 'ten-mistakes.yaml')).map((line) => /\[([a-z-]+)\]/.exec(line)?.[1]));
    assert.ok(codes.size >= 10, `only ${codes.size} kinds: ${[...codes].join(', ')}`);
  });
});
