import assert from 'node:assert/strict';
import { endPosition, workspaceEditFor } from '../../../server/src/lsp/workspace-edit-writer';

describe('the run’s workspace edit', () => {
  it('finds where a text ends in UTF-16 code units, whatever its line breaks', () => {
    assert.deepEqual(endPosition(''), { line: 0, character: 0 });
    assert.deepEqual(endPosition('abc'), { line: 0, character: 3 });
    // An emoji outside the BMP is two UTF-16 code units; an accented letter is one.
    assert.deepEqual(endPosition('a😀'), { line: 0, character: 3 });
    assert.deepEqual(endPosition('one\nzwei\ndré😀'), { line: 2, character: 5 });
    assert.deepEqual(endPosition('a\r\nbc'), { line: 1, character: 2 }, '\\r\\n is one break');
    assert.deepEqual(endPosition('a\rbc\rdef'), { line: 2, character: 3 });
    assert.deepEqual(endPosition('a\n\r\nb\r'), { line: 3, character: 0 }, 'mixed breaks, one of each');
    assert.deepEqual(endPosition('last line\n'), { line: 1, character: 0 }, 'a trailing newline ends on an empty line');
    assert.deepEqual(endPosition('x\r\n'), { line: 1, character: 0 });
  });

  it('creates and fills a new file, and replaces the whole text of an existing one', () => {
    const edit = workspaceEditFor([
      { uri: 'file:///out/new.ts', content: 'export const a = 1;\n', existing: undefined },
      { uri: 'file:///out/old.md', content: '# new\n', existing: '# old\r\nline 😀\r\n' },
      { uri: 'file:///out/empty.txt', content: 'now full', existing: '' },
    ]);
    assert.deepEqual(edit, {
      documentChanges: [
        { kind: 'create', uri: 'file:///out/new.ts', options: { overwrite: false, ignoreIfExists: true } },
        { textDocument: { uri: 'file:///out/new.ts', version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'export const a = 1;\n' }] },
        { textDocument: { uri: 'file:///out/old.md', version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, newText: '# new\n' }] },
        // An empty file exists: it is filled, not created.
        { textDocument: { uri: 'file:///out/empty.txt', version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'now full' }] },
      ],
    });
  });

  it('ends the replaced range at the existing text’s last character', () => {
    const [change] = workspaceEditFor([{ uri: 'file:///out/a.txt', content: 'b', existing: 'first\nsecond 😀😀' }]).documentChanges ?? [];
    assert.ok(change && 'edits' in change);
    assert.deepEqual(change.edits[0].range.end, { line: 1, character: 11 });
  });
});
