import assert from 'node:assert/strict';
import path from 'node:path';
import { describeFiles, runContextParams } from '../../../client/src/runs/editor-context';

const ROOT = path.resolve('/work/project');

describe('what Run Task adds from the editor', () => {
  it('gives the files relative to the output folder, once each, and names the ones outside it', () => {
    const files = [path.join(ROOT, 'api', 'handler.go'), path.join(ROOT, 'api', 'handler.go'), path.join(ROOT, 'README.md'), path.join(ROOT, 'api', 'store.go')];
    assert.deepEqual(runContextParams(files, undefined, path.join(ROOT, 'api')), { context: ['handler.go', 'store.go'], selection: undefined, outside: [path.join(ROOT, 'README.md')] });
  });

  it('marks the selected lines on the active file, when it is inside the output folder', () => {
    const focus = { file: path.join(ROOT, 'api', 'handler.go'), selection: { startLine: 12, endLine: 18, text: 'func CreateItem() {}\n' } };
    assert.deepEqual(runContextParams([focus.file], focus, ROOT).selection, { path: 'api/handler.go', startLine: 12, endLine: 18, text: 'func CreateItem() {}\n' });
    assert.equal(runContextParams([focus.file], focus, path.join(ROOT, 'web')).selection, undefined);
  });

  it('reads the files in context as the options list shows them', () => {
    assert.equal(describeFiles([path.join(ROOT, 'a.go'), path.join(ROOT, 'b.go')], path.join(ROOT, 'a.go')), 'a.go (active), b.go');
    assert.equal(describeFiles([], undefined), 'none');
  });
});
