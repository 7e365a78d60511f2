// What each phase says to its model: built-in instructions as the system message, or, when the config
// overrides a role's system prompt, the override as the system message and the instructions in the
// user message, so the formats the engine parses are still asked for.
import assert from 'node:assert/strict';
import { builtInPrompt } from '../../../server/src/prompts';
import { decomposeMessages, feedbackMessage, outlineAnswer, workerMessages } from '../../../server/src/run/messages';

const SUBTASK = { index: 2, text: 'Write src/main.ts.\nUse the greet function.', dependsOn: [1], specialist: undefined, files: [] };

describe('phase messages', () => {
  it('puts the built-in instructions in the system message, with the plan limit and the specialists filled in', () => {
    const [system, user] = decomposeMessages('Build a greeter', 7, [{ name: 'tests', description: 'Writes unit tests' }], undefined);
    assert.equal(system.role, 'system');
    assert.match(system.content, /never more than 7\./);
    assert.match(system.content, /Specialists:\n- tests: Writes unit tests/);
    assert.equal(user.content, 'Task:\nBuild a greeter\n\nThe project is empty: every file is new.');
  });

  it('lets a role’s system_prompt replace the system message and moves the instructions to the user message', () => {
    const [system, user] = decomposeMessages('Build a greeter', 7, [], 'You are a terse architect.');
    assert.equal(system.content, 'You are a terse architect.');
    assert.ok(user.content.startsWith(builtInPrompt('mayor-decompose').slice(0, 60)));
    assert.match(user.content, /There are no specialists\.\n\nTask:\nBuild a greeter\n\nThe project is empty: every file is new\.$/);
  });

  it('shows the mayor the project map and the --context material', () => {
    const [, user] = decomposeMessages('Add DeleteItem', 7, [], undefined, { map: 'handler.go\n  func ListItems(w http.ResponseWriter, r *http.Request)', sections: ['Context the user gave, as it is now:\n\nnotes.md\n```markdown\nkeep it small\n```'] });
    assert.equal(user.content, 'Task:\nAdd DeleteItem\n\nThe project (a map of its files and what they define, the most relevant first):\nhandler.go\n  func ListItems(w http.ResponseWriter, r *http.Request)\n\nContext the user gave, as it is now:\n\nnotes.md\n```markdown\nkeep it small\n```');
  });

  it('gives a worker what every worker shares first (the task, the brief), then its subtask and what it depends on', () => {
    const messages = workerMessages({ task: 'Build a greeter', subtask: SUBTASK, total: 3, brief: 'Use ES modules.', dependencies: [{ index: 1, text: 'Write src/greet.ts.', answer: '===FILE: src/greet.ts===\nexport {};\n===ENDFILE===' }] }, undefined);
    assert.deepEqual(
      messages.map((message) => message.role),
      ['system', 'user', 'user'],
    );
    assert.equal(messages[1].content, "The whole task:\nBuild a greeter\n\nThe mayor's brief, shared by every worker:\nUse ES modules.");
    assert.equal(messages[2].content, 'Your subtask (2 of 3):\nWrite src/main.ts.\nUse the greet function.\n\nOutput of subtask 1, which yours builds on (Write src/greet.ts.):\n===FILE: src/greet.ts===\nexport {};\n===ENDFILE===');
    // Too short for any provider to cache: no breakpoint, so no worker waits for another.
    assert.equal(messages.some((message) => message.cacheBreakpoint), false);
  });

  it('marks the end of the shared part for caching when it is long enough and other workers repeat it, and keeps it the same bytes for each', () => {
    const shared = [`Context the user gave, as it is now:\n\nspec.md\n\`\`\`markdown\n${'The service keeps items in memory. '.repeat(150)}\n\`\`\``];
    const second = workerMessages({ task: 'Build it', subtask: SUBTASK, total: 3, brief: 'Use ES modules.', dependencies: [], shared, material: ['The files your subtask touches, as they are now:\n\nsrc/main.ts — does not exist yet'] }, undefined);
    const first = workerMessages({ task: 'Build it', subtask: { ...SUBTASK, index: 1, text: 'Write src/greet.ts.', dependsOn: [] }, total: 3, brief: 'Use ES modules.', dependencies: [], shared }, undefined);
    assert.deepEqual(second.map((message) => message.cacheBreakpoint === true), [false, true, false]);
    assert.deepEqual(first.slice(0, 2), second.slice(0, 2));
    assert.ok(second[1].content.endsWith(shared[0]));
    assert.match(second[2].content, /^Your subtask \(2 of 3\)/);
    // Alone, a worker has no one to share with: a cache write would be paid for nothing.
    assert.equal(workerMessages({ task: 'Build it', subtask: SUBTASK, total: 1, brief: undefined, dependencies: [], shared }, undefined).some((message) => message.cacheBreakpoint), false);
  });

  it('with a role’s system_prompt, puts the instructions in the shared part, before the task', () => {
    const [system, shared, own] = workerMessages({ task: 'Build a greeter', subtask: SUBTASK, total: 3, brief: undefined, dependencies: [] }, 'You are terse.');
    assert.equal(system.content, 'You are terse.');
    assert.ok(shared.content.startsWith(builtInPrompt('polecat')));
    assert.ok(shared.content.endsWith('The whole task:\nBuild a greeter'));
    assert.equal(own.content, 'Your subtask (2 of 3):\nWrite src/main.ts.\nUse the greet function.');
  });

  it('sends the review back with its score, reason and findings', () => {
    const message = feedbackMessage({ score: 4, reason: 'No error handling.', findings: [{ file: 'a.ts', line: 3, column: 5, severity: 'error', message: 'handle the empty case' }] });
    assert.equal(message.content.split('\n').slice(0, 3).join('\n'), 'A reviewer scored your work 4/10: No error handling.\nFindings:\n- a.ts:3:5: error: handle the empty case');
  });

  it('outlines an answer for the summary without its files’ contents', () => {
    const answer = 'I wrote two files.\n\n===FILE: a.ts===\nconst secretSauce = 1;\nexport {};\n===ENDFILE===\n```ts b.ts\nlet x = 2;\n```\nRun `tsc`.';
    assert.equal(outlineAnswer(answer, [{ path: 'a.ts', content: 'const secretSauce = 1;\nexport {};\n' }, { path: 'b.ts', content: 'let x = 2;\n' }]), 'Files:\n- a.ts (2 lines)\n- b.ts (1 lines)\nI wrote two files.\n\nRun `tsc`.');
  });
});
