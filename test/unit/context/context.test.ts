import assert from 'node:assert/strict';
import { formatContextFile } from '../../../server/src/context/context-block';
import { globToRegExp, selectContextFiles } from '../../../server/src/context/context-paths';
import { filesOfSubtask, pathsNamedIn } from '../../../server/src/context/subtask-files';

const PROJECT = ['go.mod', 'main.go', 'handler.go', 'internal/store/store.go', 'internal/store/store_test.go', 'docs/api.md', 'web/handler.go'];

describe('the files a subtask touches', () => {
  it('finds path-looking words in prose, with their punctuation and quotes removed', () => {
    assert.deepEqual(pathsNamedIn('Add DeleteItem to `handler.go`, then test it in internal/store/store_test.go.'), ['handler.go', 'internal/store/store_test.go']);
    assert.deepEqual(pathsNamedIn('version 1.2 is fine, at 3.5x the speed'), []);
  });

  it('takes the planned files first, then project files the text names; a bare name only when it is unique', () => {
    assert.deepEqual(filesOfSubtask(['handler.go', './docs/new.md', '../etc/passwd'], 'Change store.go and main.go.', PROJECT), ['handler.go', 'docs/new.md', 'internal/store/store.go', 'main.go']);
    // Two files are called handler.go: a bare mention is too vague to pick one.
    assert.deepEqual(filesOfSubtask([], 'Fix handler.go', ['api/handler.go', 'web/handler.go']), []);
    assert.deepEqual(filesOfSubtask([], 'Fix handler.go', ['web/handler.go', 'main.go']), ['web/handler.go']);
  });
});

describe('--context patterns', () => {
  it('matches files, folders and globs against the mapped paths, in order, without repeats', () => {
    const selection = selectContextFiles(['main.go', 'internal/store/', '**/*_test.go', 'docs/*.md', 'missing.txt', 'notes/big.log'], PROJECT, (path) => path === 'notes/big.log');
    assert.deepEqual(selection.files, ['main.go', 'internal/store/store.go', 'internal/store/store_test.go', 'docs/api.md', 'notes/big.log']);
    assert.deepEqual(selection.unmatched, ['missing.txt']);
  });

  it('reads globs as shells do: * within a name, ** across folders, ? one character', () => {
    assert.equal(globToRegExp('*.go').test('main.go'), true);
    assert.equal(globToRegExp('*.go').test('internal/x.go'), false);
    assert.equal(globToRegExp('**/*.go').test('main.go'), true);
    assert.equal(globToRegExp('**/*.go').test('a/b/c.go'), true);
    assert.equal(globToRegExp('internal/**').test('internal/store/store.go'), true);
    assert.equal(globToRegExp('?.go').test('ab.go'), false);
    assert.equal(globToRegExp('a+b(1).go').test('a+b(1).go'), true);
  });
});

describe('files in a prompt', () => {
  it('fences each file with more backticks than it holds, and says when it is an outline or missing', () => {
    assert.equal(formatContextFile({ path: 'README.md', kind: 'whole', text: '# x\n```sh\nrun\n```\n' }), 'README.md\n````markdown\n# x\n```sh\nrun\n```\n````');
    assert.equal(formatContextFile({ path: 'a.go', kind: 'whole', text: 'package a' }), 'a.go\n```go\npackage a\n```');
    assert.equal(formatContextFile({ path: 'new.py', kind: 'missing', text: '' }), 'new.py — does not exist yet');
    assert.match(formatContextFile({ path: 'big.ts', kind: 'outline', text: 'x\n' }), /^big\.ts — too large to show whole/);
  });
});
