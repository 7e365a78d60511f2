// A proposal's address in the editor (`electrictown-proposal:/<file's workspace path>?run=<id>`): made
// from the file's path and the run, read back from a URI's path and query, and only ever a staged file
// inside its run folder's `proposed/`.
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseProposalUri, proposalUriParts, stagedInsideRunFolder } from '../../../client/src/changes/proposal-address';

describe('proposal address', () => {
  it('puts the file\'s workspace path in the URI\'s path (what the breadcrumb shows) and the run in the query', () => {
    assert.deepEqual(proposalUriParts({ runId: 'a1b2c3', path: 'src/list.go' }), { path: '/src/list.go', query: 'run=a1b2c3' });
    // Windows separators and a leading slash (a target outside the workspace) give one path form.
    assert.deepEqual(proposalUriParts({ runId: 'a1b2c3', path: 'src\\list.go' }).path, '/src/list.go');
    assert.deepEqual(proposalUriParts({ runId: 'a1b2c3', path: '/elsewhere/list.go' }).path, '/elsewhere/list.go');
    // A run id is escaped in the query, never taken for another parameter.
    assert.equal(proposalUriParts({ runId: 'x&run=y', path: 'a.md' }).query, 'run=x%26run%3Dy');
  });

  it('reads the address back from a URI\'s path and query, and nothing from one without a run or a file', () => {
    for (const address of [{ runId: 'a1b2c3', path: 'src/list.go' }, { runId: 'x&run=y', path: 'notes.md' }]) {
      const { path: uriPath, query } = proposalUriParts(address);
      assert.deepEqual(parseProposalUri(uriPath, query), address);
    }
    assert.equal(parseProposalUri('/src/list.go', ''), undefined);
    assert.equal(parseProposalUri('/src/list.go', 'other=1'), undefined);
    assert.equal(parseProposalUri('/', 'run=a1b2c3'), undefined);
  });

  it('serves a staged file only inside its run folder\'s proposed/, under the file\'s own path', () => {
    const run = path.posix.join('/work/logs/runs', 'a1b2c3');
    const inside = (file: string, staged: string) => stagedInsideRunFolder({ path: file, staged }, path.posix);
    assert.equal(inside('src/list.go', `${run}/proposed/src/list.go`), true);
    // Another file than the one named, a path climbing out, a staged path with `..` or outside `proposed/`.
    assert.equal(inside('src/list.go', `${run}/proposed/src/other.go`), false);
    assert.equal(inside('../../etc/passwd', '/etc/passwd'), false);
    assert.equal(inside('passwd', `${run}/proposed/../../../../etc/passwd`), false);
    assert.equal(inside('list.go', `${run}/list.go`), false);
    assert.equal(inside('/etc/passwd', `${run}/proposed//etc/passwd`), false);
    assert.equal(inside('list.go', 'proposed/list.go'), false, 'a relative staged path');
    // Windows paths, checked with Windows rules.
    assert.equal(stagedInsideRunFolder({ path: 'src/list.go', staged: 'C:\\work\\logs\\runs\\a1\\proposed\\src\\list.go' }, path.win32), true);
    assert.equal(stagedInsideRunFolder({ path: '..\\x.go', staged: 'C:\\work\\x.go' }, path.win32), false);
  });
});
