import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdits, type ApplyResult } from '../../../server/src/edits/apply-edits';
import { parseAnswer, type EditBlock } from '../../../server/src/edits/parse-answer';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/edits', name), 'utf8');
const block = (search: string, replace: string, line = 1, filePath = 'a.txt'): EditBlock => ({ path: filePath, search, replace, line, format: 'aider' });

function content(result: ApplyResult): string {
  if (!result.ok) assert.fail(`expected the blocks to apply:\n${result.failures.map((failure) => failure.message).join('\n\n')}`);
  return result.content;
}

function failures(result: ApplyResult) {
  assert.equal(result.ok, false, 'expected a failure');
  assert.equal('content' in result, false, 'a failed apply returns no content');
  return result.ok ? [] : result.failures;
}

describe('applyEdits: matching', () => {
  it('applies a model’s answer to the files it names: blocks in order, each on the file as the previous left it', () => {
    const parsed = parseAnswer(fixture('answers/aider-fenced.md'));
    const handler = applyEdits(fixture('handler.go'), parsed.edits.filter((edit) => edit.path === 'handler.go'));
    const expected = fixture('handler.go')
      .replace('// CreateItem handles POST /items.\n', '// DeleteItem handles DELETE /items/{id}.\nfunc DeleteItem(w http.ResponseWriter, r *http.Request) {\n\tmu.Lock()\n\tdefer mu.Unlock()\n\tdelete(items, r.PathValue("id"))\n\tw.WriteHeader(http.StatusNoContent)\n}\n\n// CreateItem handles POST /items.\n')
      .replace('\tmu.Lock()\n\tdefer mu.Unlock()\n\titems[item.ID] = item\n', '\tif item.ID == "" {\n\t\thttp.Error(w, "missing id", http.StatusBadRequest)\n\t\treturn\n\t}\n\tmu.Lock()\n\tdefer mu.Unlock()\n\titems[item.ID] = item\n');
    assert.equal(content(handler), expected);
    assert.deepEqual(handler.applied.map((edit) => [edit.match, edit.startLine, edit.endLine, edit.removed, edit.added]), [['exact', 31, 31, 1, 9], ['exact', 46, 48, 3, 7]]);
    const routes = applyEdits(fixture('routes.go'), parsed.edits.filter((edit) => edit.path === 'routes.go'));
    assert.equal(content(routes), fixture('routes.go').replace('CreateItem)\n', 'CreateItem)\n\tmux.HandleFunc("DELETE /items/{id}", DeleteItem)\n'));
  });

  it('matches despite trailing whitespace, and leaves the other lines’ trailing whitespace alone', () => {
    const result = applyEdits('keep   \nvalue = 1  \nend\t\n', [block('value = 1\n', 'value = 2\n')]);
    assert.equal(content(result), 'keep   \nvalue = 2\nend\t\n');
    assert.equal(result.applied[0].match, 'whitespace');
  });

  it('matches a SEARCH written with less indentation than the file, and re-indents the REPLACE by the same shift', () => {
    const file = 'class Cart:\n    def total(self):\n        if not self.items:\n            return 0\n        return sum(self.items)\n';
    const result = applyEdits(file, [block('if not self.items:\n    return 0\n', 'if not self.items:\n    log.debug("empty cart")\n    return 0\n')]);
    assert.equal(content(result), 'class Cart:\n    def total(self):\n        if not self.items:\n            log.debug("empty cart")\n            return 0\n        return sum(self.items)\n');
    assert.deepEqual([result.applied[0].match, result.applied[0].startLine, result.applied[0].endLine], ['whitespace', 3, 4]);
  });

  it('matches a SEARCH written with more indentation than the file, and re-indents the REPLACE', () => {
    const result = applyEdits('def f():\n    return 1\n', [block('        def f():\n            return 1\n', '        def f():\n            return 2\n')]);
    assert.equal(content(result), 'def f():\n    return 2\n');
  });

  it('matches spaces in the SEARCH against a file indented with tabs, and writes the REPLACE with tabs', () => {
    const file = 'func f() {\n\tif ok {\n\t\trun()\n\t}\n}\n';
    const result = applyEdits(file, [block('    if ok {\n        run()\n    }\n', '    if ok {\n        run()\n        done()\n    }\n')]);
    assert.equal(content(result), 'func f() {\n\tif ok {\n\t\trun()\n\t\tdone()\n\t}\n}\n');
    // Two-space indentation in the answer: a level is still one tab.
    assert.equal(content(applyEdits(file, [block('  if ok {\n    run()\n  }\n', '  if ok {\n    run()\n    done()\n  }\n')])), 'func f() {\n\tif ok {\n\t\trun()\n\t\tdone()\n\t}\n}\n');
  });

  it('matches tabs in the SEARCH against a file indented with spaces, in the file’s width', () => {
    const file = 'function f() {\n  if (ok) {\n    run();\n  }\n}\n';
    assert.equal(content(applyEdits(file, [block('\tif (ok) {\n\t\trun();\n\t}\n', '\tif (ok) {\n\t\trun();\n\t\tdone();\n\t}\n')])), 'function f() {\n  if (ok) {\n    run();\n    done();\n  }\n}\n');
  });

  it('refuses indentation that does not shift uniformly (a different structure is a different place)', () => {
    const result = applyEdits('if a:\n    b()\n    c()\n', [block('if a:\n    b()\nc()\n', 'x\n')]);
    assert.equal(failures(result)[0].reason, 'not-found');
  });

  it('matches a SEARCH with blank lines at its edges that the file does not have', () => {
    const result = applyEdits('a = 1\nb = 2\n', [block('\nb = 2\n\n', '\nb = 3\n\n')]);
    assert.equal(content(result), 'a = 1\nb = 3\n');
    assert.equal(result.applied[0].match, 'whitespace');
  });

  it('prefers the one exact match to whitespace-tolerant ones elsewhere', () => {
    const file = 'def a():\n    x = 1\ndef b():\n        x = 1\n';
    const result = applyEdits(file, [block('    x = 1\n', '    x = 2\n')]);
    assert.equal(content(result), 'def a():\n    x = 2\ndef b():\n        x = 1\n');
  });
});

describe('applyEdits: refusals', () => {
  it('refuses a SEARCH found in two places, showing both with line numbers and asking for more lines', () => {
    const file = 'func a() {\n\treturn nil\n}\n\nfunc b() {\n\treturn nil\n}\n';
    const [failure] = failures(applyEdits(file, [block('\treturn nil\n}\n', '\treturn err\n}\n', 7, 'x.go')]));
    assert.equal(failure.reason, 'ambiguous');
    assert.match(failure.message, /^The SEARCH block at line 7 of your answer \(starting `return nil`\) matches 2 places in x\.go: lines 2–3 and 6–7\./);
    assert.match(failure.message, /1 \| func a\(\) \{\n2 \| \treturn nil\n3 \| \}/);
    assert.match(failure.message, /5 \| func b\(\) \{\n6 \| \treturn nil\n7 \| \}/);
    assert.match(failure.message, /Add unchanged lines from just before or after/);
  });

  it('refuses a SEARCH that matches two places once indentation is ignored', () => {
    const file = 'def a():\n    x = 1\n\nclass B:\n    def a(self):\n        x = 1\n';
    assert.equal(failures(applyEdits(file, [block('x = 1\n', 'x = 2\n')]))[0].reason, 'ambiguous');
  });

  it('refuses a SEARCH found nowhere, naming the lines that are not in the file and showing the closest ones', () => {
    const file = fixture('handler.go');
    const search = '// CreateItem handles POST /items.\nfunc CreateItem(w http.ResponseWriter, req *http.Request) {\n\tvar item Item\n';
    const [failure] = failures(applyEdits(file, [block(search, 'x\n', 12, 'handler.go')]));
    assert.equal(failure.reason, 'not-found');
    assert.match(failure.message, /^The SEARCH block at line 12 of your answer \(starting `\/\/ CreateItem handles POST \/items\.`\) matches nothing in handler\.go\./);
    assert.match(failure.message, /These SEARCH lines are not in handler\.go at all:\n {2}func CreateItem\(w http\.ResponseWriter, req \*http\.Request\) \{\n/);
    assert.match(failure.message, /The closest lines of handler\.go are lines 31–33:\n29 \| }\n30 \| \n31 \| \/\/ CreateItem handles POST \/items\.\n32 \| func CreateItem\(w http\.ResponseWriter, r \*http\.Request\) \{\n33 \| \tvar item Item\n34 \| \tif err/);
  });

  it('finds the closest lines by their words when no SEARCH line is in the file as written', () => {
    const file = ['import os', '', 'def load(path):', '    with open(path) as handle:', '        return handle.read()', '', 'def save(path, text):', '    with open(path, "w") as handle:', '        handle.write(text)', ''].join('\n');
    const [failure] = failures(applyEdits(file, [block('def save(filename, text):\n    with open(filename, "w") as out:\n        out.write(text)\n', 'x\n')]));
    assert.match(failure.message, /The closest lines of a\.txt are lines 7–9:\n5 \| {9}return handle\.read\(\)\n6 \| \n7 \| def save\(path, text\):/);
  });

  it('says when the REPLACE lines are already in the file', () => {
    const [failure] = failures(applyEdits('a()\nb()\n', [block('x()\n', 'b()\n')]));
    assert.match(failure.message, /Its REPLACE lines are already in a\.txt at line 2: was this change made already\?/);
  });

  it('refuses a non-empty SEARCH on a missing file', () => {
    const [failure] = failures(applyEdits(undefined, [block('a\n', 'b\n', 3, 'new.go')]));
    assert.deepEqual([failure.reason, failure.message], ['missing-file', 'The SEARCH block at line 3 of your answer (starting `a`) is for new.go, which does not exist, so it matches nothing. To create new.go, leave the SEARCH part empty and put the whole file in the REPLACE part.']);
  });

  it('applies nothing when one block fails, and lists what would have applied', () => {
    const result = applyEdits('one\ntwo\nthree\n', [block('one\n', '1\n', 1), block('four\n', '4\n', 5), block('three\n', '3\n', 9)]);
    assert.deepEqual(failures(result).map((failure) => [failure.block.line, failure.reason]), [[5, 'not-found']]);
    assert.deepEqual(result.applied.map((edit) => [edit.block.line, edit.startLine]), [[1, 1], [9, 3]]);
  });

  it('applies an overlapping second block to the first one’s result, and refuses it when its lines are gone', () => {
    const file = 'a\nb\nc\n';
    assert.equal(content(applyEdits(file, [block('b\n', 'B\nB2\n'), block('B2\nc\n', 'C\n')])), 'a\nB\nC\n');
    const gone = applyEdits(file, [block('b\nc\n', 'x\n'), block('c\n', 'y\n', 4)]);
    const [failure] = failures(gone);
    assert.equal(failure.reason, 'not-found');
    assert.match(failure.message, /matches nothing in a\.txt\.[^]*\(as it is after your earlier blocks for it\)/);
    assert.deepEqual(gone.applied.map((edit) => edit.block.search), ['b\nc\n']);
  });
});

describe('applyEdits: empty SEARCH, and the file’s form', () => {
  it('creates a missing file from an empty SEARCH, and applies later blocks to it', () => {
    const result = applyEdits(undefined, [block('', 'print("a")\n'), block('print("a")\n', 'print("b")\n')]);
    assert.equal(content(result), 'print("b")\n');
    assert.deepEqual(result.applied.map((edit) => [edit.match, edit.startLine, edit.endLine, edit.added]), [['create', 1, 0, 1], ['exact', 1, 1, 1]]);
  });

  it('appends an empty SEARCH’s REPLACE to an existing file', () => {
    const result = applyEdits('a\n', [block('', 'b\nc\n')]);
    assert.equal(content(result), 'a\nb\nc\n');
    assert.deepEqual([result.applied[0].match, result.applied[0].startLine, result.applied[0].endLine], ['append', 2, 1]);
    // A file without a final newline gets one before the new lines, and still ends without one.
    assert.equal(content(applyEdits('a', [block('\n', 'b\n')])), 'a\nb');
  });

  it('allows a REPLACE that empties the file', () => {
    assert.equal(content(applyEdits('\uFEFFonly\nlines\n', [block('only\nlines\n', '')])), '');
  });

  it('keeps a CRLF file CRLF when the blocks are written with LF, and matches CRLF blocks on an LF file', () => {
    assert.equal(content(applyEdits('a\r\nb\r\nc\r\n', [block('b\n', 'B\nB2\n')])), 'a\r\nB\r\nB2\r\nc\r\n');
    assert.equal(content(applyEdits('a\nb\nc\n', [block('\uFEFFb\r\nc\r\n', 'x\r\n')])), 'a\nx\n');
  });

  it('keeps a BOM and a missing final newline', () => {
    assert.equal(content(applyEdits('\uFEFFa\nb', [block('b\n', 'c\nd\n')])), '\uFEFFa\nc\nd');
    assert.equal(content(applyEdits('a\nb', [block('b\n', '')])), 'a');
    assert.equal(content(applyEdits('a\nb\n', [block('a\n', 'z\n')])), 'z\nb\n');
  });
});

describe('applyEdits on a 10,000-line file', () => {
  const lines = Array.from({ length: 10_000 }, (_, index) => (index % 50 === 0 ? `function f${index}() {` : `    step(${index}, "${'x'.repeat(index % 40)}");`));
  const file = `${lines.join('\n')}\n`;

  it('applies an exact and an indentation-shifted block near its end, and refuses an absent one, quickly', () => {
    const started = performance.now();
    const result = applyEdits(file, [block('    step(9801, "x");\n', '    step(9801, "y");\n'), block('step(9901, "xxxxxxxxxxxxxxxxxxxxx");\nstep(9902, "xxxxxxxxxxxxxxxxxxxxxx");\n', 'done();\n')]);
    assert.equal(content(result), file.replace('    step(9801, "x");\n', '    step(9801, "y");\n').replace(/ {4}step\(9901.*\n {4}step\(9902.*\n/, '    done();\n'));
    assert.deepEqual(result.applied.map((edit) => [edit.match, edit.startLine]), [['exact', 9802], ['whitespace', 9902]]);
    const [failure] = failures(applyEdits(file, [block('    step(9801, "z");\n    step(9802, "xx");\n', '')]));
    assert.match(failure.message, /The closest lines of a\.txt are lines 9802–9803:/);
    // Generous: the three take a few milliseconds; a pass that is quadratic in the file's characters takes seconds.
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
  });
});
