import assert from 'node:assert/strict';
import { EmptyPlanError, parsePlan } from '../../../server/src/run/decompose';
import { DependencyCycleError, dependencyWaves } from '../../../server/src/run/schedule';

const OPTIONS = { specialists: ['frontend', 'database'], maxSubtasks: 10 };

describe('the mayor’s plan', () => {
  it('reads numbered and bulleted items with continuation lines, dropping preamble and closing remark', () => {
    const plan = parsePlan(
      [
        'Here is the plan:',
        '',
        '1. **Create the data model** in `src/model.ts`',
        '   - fields: id, name',
        '   - export the type',
        '2) Write the API',
        'with express.',
        '',
        '3. Add tests',
        '',
        'Let me know if you want changes.',
      ].join('\n'),
      OPTIONS,
    );
    assert.deepEqual(
      plan.subtasks.map((subtask) => subtask.text),
      ['Create the data model in `src/model.ts`\n- fields: id, name\n- export the type', 'Write the API\nwith express.', 'Add tests'],
    );
    assert.deepEqual(plan.warnings, []);
    for (const bullet of ['- ', '* ', '• ']) assert.equal(parsePlan(`${bullet}one\n${bullet}two`, OPTIONS).subtasks.length, 2);
  });

  it('reads [depends: …] and [specialist: …], strips them, and fuzzy-matches a specialist with a warning', () => {
    const plan = parsePlan('1. Schema [specialist: databse]\n2. UI [specialist: Frontend] [depends: 1]\n3. Glue [depends on: 1, 2]\n4. Docs [specialist: marketing]', OPTIONS);
    assert.deepEqual(plan.subtasks.map((subtask) => [subtask.text, subtask.dependsOn, subtask.specialist]), [
      ['Schema', [], 'database'],
      ['UI', [1], 'frontend'],
      ['Glue', [1, 2], undefined],
      ['Docs', [], undefined],
    ]);
    assert.deepEqual(plan.warnings, ['subtask 1: specialist "databse" taken as "database"', 'subtask 4: no specialist "marketing" (there are: frontend, database); the polecat role does it']);
  });

  it('caps the plan at --max-subtasks and drops dependencies that point nowhere', () => {
    const plan = parsePlan('1. a\n2. b [depends: 2, 7, x]\n3. c\n4. d', { ...OPTIONS, maxSubtasks: 3 });
    assert.equal(plan.subtasks.length, 3);
    assert.deepEqual(plan.subtasks[1].dependsOn, []);
    assert.deepEqual(plan.warnings, [
      'the mayor planned 4 subtasks; the first 3 are kept (--max-subtasks)',
      'subtask 2: ignored a dependency on subtask 2',
      'subtask 2: ignored a dependency on subtask 7',
      'subtask 2: ignored a dependency on something that is not a subtask number',
    ]);
  });

  it('refuses an answer with no list', () => {
    assert.throws(() => parsePlan('I think this is one task; just do it.', OPTIONS), EmptyPlanError);
  });
});

describe('the files a plan names', () => {
  it('reads [files: …] in every way a mayor writes it, strips it, and keeps the subtask text clean', () => {
    const plan = parsePlan(
      ['1. Add a DELETE endpoint [files: handler.go, `routes.go`]', '2. Test it [depends: 1] [files: "handler_test.go" and handler.go]', '3. Document it [file: README.md]', '4. Think [files: none]'].join('\n'),
      OPTIONS,
    );
    assert.deepEqual(plan.subtasks.map((subtask) => [subtask.text, subtask.files]), [
      ['Add a DELETE endpoint', ['handler.go', 'routes.go']],
      ['Test it', ['handler_test.go', 'handler.go']],
      ['Document it', ['README.md']],
      ['Think', []],
    ]);
  });
});

describe('dependency waves', () => {
  const subtask = (index: number, dependsOn: number[] = []) => ({ index, text: `t${index}`, dependsOn, specialist: undefined, files: [] });

  it('runs each subtask as early as its dependencies allow', () => {
    assert.deepEqual(dependencyWaves([subtask(1), subtask(2, [1]), subtask(3), subtask(4, [2, 3]), subtask(5, [1])]), [[1, 3], [2, 5], [4]]);
  });

  it('names a cycle', () => {
    assert.throws(() => dependencyWaves([subtask(1, [3]), subtask(2, [1]), subtask(3, [2])]), (error: unknown) => error instanceof DependencyCycleError && error.message === "the plan's dependencies form a cycle: subtask 1 → subtask 3 → subtask 2 → subtask 1");
  });
});
