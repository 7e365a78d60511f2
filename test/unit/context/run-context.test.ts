// What a run shows its models of a real project on disk: the mayor's map, a worker's files (whole,
// as an outline when large, or as not there yet), the map around them, the --context files — read
// through the working copy, so what a finished subtask changed is what the next one sees.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunContext, WHOLE_FILE_CHARS } from '../../../server/src/context/run-context';
import { SharedContext } from '../../../server/src/context/shared-context';
import { projectReader } from '../../../server/src/context/read-project-file';
import { lostDefinitions } from '../../../server/src/edits/lost-definitions';
import { parseAnswer } from '../../../server/src/edits/parse-answer';
import { WorkingCopy } from '../../../server/src/edits/working-copy';
import { openWriteScope } from '../../../server/src/run/containment';

const SMALL = 'package shop\n\n// Price of an item in cents.\nfunc Price(id string) int {\n\treturn 100\n}\n';

/** A Go file far over the whole-file limit: many functions, one of them the one the task is about. */
function bigFile(): string {
  const parts = ['package shop\n'];
  for (let index = 0; parts.join('\n').length <= WHOLE_FILE_CHARS + 1000; index++) parts.push(`// Helper${index} does step ${index}.\nfunc Helper${index}(value int) int {\n\treturn value + ${index} // ${'padding '.repeat(8)}\n}\n`);
  parts.push('// Checkout totals the cart.\nfunc Checkout(items []string) int {\n\ttotal := 0\n\tfor _, id := range items {\n\t\ttotal += Price(id)\n\t}\n\treturn total\n}\n');
  return parts.join('\n');
}

describe('what a run shows its models of the project', function () {
  this.timeout(20_000);

  const project = () => {
    const root = mkdtempSync(path.join(tmpdir(), 'et-context-'));
    writeFileSync(path.join(root, 'go.mod'), 'module example.com/shop\n\ngo 1.19\n');
    writeFileSync(path.join(root, 'price.go'), SMALL);
    writeFileSync(path.join(root, 'cart.go'), bigFile());
    mkdirSync(path.join(root, 'docs'));
    writeFileSync(path.join(root, 'docs', 'rules.md'), '# Rules\n\nPrices are in cents.\n');
    const logs = path.join(root, '.electrictown');
    const scope = openWriteScope(root, [{ path: logs, reason: 'the log folder' }]);
    return { root, logs, copy: new WorkingCopy(projectReader(() => scope), lostDefinitions) };
  };

  it('gives a worker its small files whole, a large one as what its subtask names plus an outline, and a new one as missing', async () => {
    const { root, logs, copy } = project();
    const context = await RunContext.open({ root, logDirectory: logs, patterns: ['docs/*.md'], mapTokens: 4096 }, () => false);
    assert.deepEqual(context.contextFiles, ['docs/rules.md']);
    assert.deepEqual(context.filesOf([], 'Make Checkout skip unknown items in cart.go, using price.go'), ['cart.go', 'price.go']);

    const material = await context.workerMaterial(['price.go', 'cart.go', 'discount.go'], copy, 'Make Checkout skip unknown items');
    assert.deepEqual(material.sent.map((file) => [file.path, file.kind]), [['price.go', 'whole'], ['cart.go', 'outline'], ['discount.go', 'missing']]);
    const [files, map] = material.sections;
    assert.ok(files.includes(SMALL), 'price.go whole');
    assert.match(files, /cart\.go — too large to show whole/);
    assert.match(files, /func Checkout\(items \[\]string\) int \{\n\ttotal := 0/, 'the definition the subtask names, whole');
    assert.match(files, /Outline of cart\.go \(\d+ lines\):\n\s+\d+: func Helper0\(value int\) int/);
    assert.doesNotMatch(files, /return value \+ 5 /, 'not the other bodies');
    assert.match(files, /discount\.go — does not exist yet/);
    assert.match(map, /^The project around them/);

    const given = await context.contextMaterial(copy, 'anything');
    assert.match(given.sections[0], /^Context the user gave, as it is now:\n\ndocs\/rules\.md\n```markdown\n# Rules/);
  });

  it('shows a later worker the file as an earlier subtask left it', async () => {
    const { root, logs, copy } = project();
    const context = await RunContext.open({ root, logDirectory: logs, patterns: [], mapTokens: 0 }, () => false);
    const committed = await copy.commit(parseAnswer('price.go\n<<<<<<< SEARCH\n\treturn 100\n=======\n\treturn 250\n>>>>>>> REPLACE\n'), 1, { rewriteAllowed: false });
    assert.equal(committed.ok, true);
    const material = await context.workerMaterial(['price.go'], copy, 'Use the price');
    assert.match(material.sections[0], /return 250/);
    // No map asked for: no map section.
    assert.equal(material.sections.length, 1);
  });

  it('shows every worker the same shared part, read once, and a --context file another worker changed since again, after it', async () => {
    const { root, logs, copy } = project();
    const context = await RunContext.open({ root, logDirectory: logs, patterns: ['docs/*.md'], mapTokens: 4096 }, () => false);
    const shared = new SharedContext(context, copy, 'Make Checkout skip unknown items', ['The user selected line 4 of price.go']);
    const first = await shared.forWorker(['price.go'], 'Use the price in cents');
    const second = await shared.forWorker(['cart.go'], 'Make Checkout skip unknown items');
    assert.deepEqual(first.shared, second.shared, 'the same sections, whatever the subtask');
    assert.equal(first.shared[0], 'The user selected line 4 of price.go');
    assert.match(first.shared[1], /^The project \(a map of its files and what they define, the most relevant to the task first\):\n[\s\S]*cart\.go/);
    assert.ok(first.shared[1].length <= 1024 * 4 + 200, 'the map at a worker’s budget');
    assert.match(first.shared[2], /^Context the user gave, as it is now:\n\ndocs\/rules\.md/);
    assert.match(first.own[0], /^The files your subtask touches, as they are now:\n\nprice\.go/);
    assert.deepEqual(first.sent.map((file) => file.path), ['docs/rules.md', 'price.go']);

    // A worker finishes and changes the rules: the shared part stays as it was read, the change follows it.
    await copy.commit(parseAnswer('docs/rules.md\n<<<<<<< SEARCH\nPrices are in cents.\n=======\nPrices are in euros.\n>>>>>>> REPLACE\n'), 1, { rewriteAllowed: false });
    const later = await shared.forWorker(['price.go'], 'Show the price');
    assert.deepEqual(later.shared, first.shared);
    assert.match(later.own.at(-1) ?? '', /^Context files another worker has changed since, as they are now:\n\ndocs\/rules\.md\n```markdown\n# Rules\n\nPrices are in euros\./);
  });

  it('maps a project the mayor can plan against, and an output folder that does not exist yet as empty', async () => {
    const { root, logs } = project();
    const context = await RunContext.open({ root, logDirectory: logs, patterns: [], mapTokens: 4096 }, () => false);
    const map = context.mayorMap('Make Checkout skip unknown items');
    assert.match(map ?? '', /cart\.go[\s\S]*func Checkout\(items \[\]string\) int/);
    const fresh = await RunContext.open({ root: path.join(root, 'new-project'), logDirectory: logs, patterns: ['src'], mapTokens: 4096 }, () => false);
    assert.equal(fresh.mayorMap('anything'), undefined);
    assert.deepEqual(fresh.warnings, [`--context src matches no file in ${path.join(root, 'new-project')}`]);
  });
});
