// The run's working copy: answers checked against the latest content and committed whole or not at
// all, in the order subtasks finish; parallel edits of one file; conflicts; the rewrite rule; paths
// that may not be touched.
import assert from 'node:assert/strict';
import { parseAnswer } from '../../../server/src/edits/parse-answer';
import { WorkingCopy, type ReadProjectFile } from '../../../server/src/edits/working-copy';

const HANDLER = 'package main\n\nfunc ListItems() {}\n\nfunc CreateItem() {}\n';

/** A project held in memory; `.git/…` and `secret` may not be read. */
function copyOf(files: Record<string, string>, lost: (path: string, before: string, after: string) => string[] = () => []) {
  const reads: string[] = [];
  const read: ReadProjectFile = async (relative) => {
    reads.push(relative);
    if (relative.startsWith('link-to-git/') || relative === 'secret') return { ok: false, reason: 'a symlink leads into .git' };
    return { ok: true, content: files[relative] };
  };
  return { copy: new WorkingCopy(read, async (path, before, after) => lost(path, before, after)), reads };
}

const edit = (path: string, search: string, replace: string) => `${path}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n`;
const options = { rewriteAllowed: false };

describe('the run’s working copy', () => {
  it('applies two subtasks’ edits of one file in the order they finish, each against the latest content', async () => {
    const { copy, reads } = copyOf({ 'handler.go': HANDLER });
    const first = await copy.commit(parseAnswer(edit('handler.go', 'func ListItems() {}', 'func ListItems() { list() }')), 2, options);
    const second = await copy.commit(parseAnswer(edit('handler.go', 'func CreateItem() {}', 'func CreateItem() { create() }')), 1, options);
    assert.equal(first.ok && second.ok, true);
    assert.equal(await copy.current('handler.go'), 'package main\n\nfunc ListItems() { list() }\n\nfunc CreateItem() { create() }\n');
    const [change] = copy.changes();
    assert.deepEqual([change.path, change.before, change.subtasks, change.edits.map((record) => [record.subtask, record.kind, record.applied.length])], ['handler.go', HANDLER, [2, 1], [[2, 'edit', 1], [1, 'edit', 1]]]);
    assert.deepEqual([...copy.owners()], [['handler.go', 1]]);
    assert.deepEqual(reads, ['handler.go'], 'the file is read from the project once');
  });

  it('finds a real conflict: lines another subtask changed first are not there any more, and nothing of the answer is applied', async () => {
    const { copy } = copyOf({ 'handler.go': HANDLER, 'main.go': 'package main\n\nfunc main() {}\n' });
    assert.equal((await copy.commit(parseAnswer(edit('handler.go', 'func ListItems() {}', 'func ListAll() {}')), 1, options)).ok, true);
    const late = await copy.commit(parseAnswer(`${edit('main.go', 'func main() {}', 'func main() { ListItems() }')}\n${edit('handler.go', 'func ListItems() {}', 'func ListItems() { list() }')}`), 2, options);
    assert.equal(late.ok, false);
    assert.match(late.ok ? '' : late.problems[0].message, /handler\.go/);
    assert.equal(late.ok ? '' : late.problems[0].current, 'package main\n\nfunc ListAll() {}\n\nfunc CreateItem() {}\n', 'the problem carries the file as it is now');
    // main.go's edit, which did apply, was not half-committed.
    assert.equal(await copy.current('main.go'), 'package main\n\nfunc main() {}\n');
  });

  it('creates new files, sends an edit of a file that does not exist back, and takes an empty SEARCH on a missing file as its creation', async () => {
    const { copy } = copyOf({});
    const missing = await copy.check(parseAnswer(edit('nope.go', 'func x() {}', 'func y() {}')), 1, options);
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? '' : missing.problems[0].message, /nope\.go/);
    const created = await copy.commit(parseAnswer('===FILE: pkg/new.go===\npackage pkg\n===ENDFILE===\n'), 1, options);
    assert.equal(created.ok, true);
    assert.equal((await copy.commit(parseAnswer('notes.md\n<<<<<<< SEARCH\n=======\n# Notes\n>>>>>>> REPLACE\n'), 2, options)).ok, true);
    assert.deepEqual(copy.changes().map((change) => [change.path, change.before, change.after, change.edits[0].kind]), [['pkg/new.go', undefined, 'package pkg\n', 'create'], ['notes.md', undefined, '# Notes\n', 'create']]);
  });

  it('refuses a rewrite that drops definitions unless the subtask asks for one, naming what it drops', async () => {
    const lost = (_path: string, before: string, after: string) => ['ListItems', 'CreateItem'].filter((name) => before.includes(name) && !after.includes(name));
    const { copy } = copyOf({ 'handler.go': HANDLER }, lost);
    const rewrite = parseAnswer('===FILE: handler.go===\npackage main\n\nfunc DeleteItem() {}\n===ENDFILE===\n');
    const refused = await copy.check(rewrite, 1, options);
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.problems[0].message, /^handler\.go already exists, and your whole-file answer drops what it defines: ListItems, CreateItem\. Change it with SEARCH\/REPLACE edits/);
    assert.equal((await copy.check(rewrite, 1, { rewriteAllowed: true })).ok, true);
    // A whole file that keeps every definition is a rewrite the run takes.
    const kept = await copy.commit(parseAnswer(`===FILE: handler.go===\n${HANDLER}\nfunc DeleteItem() {}\n===ENDFILE===\n`), 1, options);
    assert.equal(kept.ok, true);
    assert.equal(copy.changes()[0].edits[0].kind, 'rewrite');
  });

  it('leaves paths that may not be touched to the write phase, and remembers why', async () => {
    const { copy } = copyOf({ 'handler.go': HANDLER });
    const answer = parseAnswer(`===FILE: link-to-git/config===\n[core]\n===ENDFILE===\n${edit('handler.go', 'func ListItems() {}', 'func ListItems() { list() }')}`);
    const result = await copy.commit(answer, 1, options);
    assert.equal(result.ok, true);
    assert.deepEqual([...(result.ok ? result.files.keys() : [])], ['handler.go']);
    assert.equal(copy.refusal('link-to-git/config'), 'a symlink leads into .git');
    assert.deepEqual(copy.changes().map((change) => change.path), ['handler.go']);
  });
});
