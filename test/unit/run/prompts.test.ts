import assert from 'node:assert/strict';
import { builtInPrompt, fillPrompt, PROMPT_NAMES } from '../../../server/src/prompts';
import { parseAnswer } from '../../../server/src/edits/parse-answer';
import { parseReview } from '../../../server/src/run/review';

describe('built-in role prompts', () => {
  it('exist for every role step, as text files', () => {
    for (const name of PROMPT_NAMES) assert.ok(builtInPrompt(name).length > 100, name);
  });

  it('ask for exactly the formats the engine parses', () => {
    // The examples in the prompts themselves must parse.
    const example = parseAnswer(builtInPrompt('polecat'));
    assert.deepEqual(example.files.map((file) => file.path), ['path/to/new_file.ext']);
    assert.deepEqual(example.edits.map((edit) => [edit.path, edit.search]), [['handler.go', '// CreateItem handles POST /items.\n']]);
    assert.deepEqual(example.findings, []);
    assert.match(builtInPrompt('mayor-decompose'), /\[files: path\/a\.go, path\/b\.go\]/);
    assert.match(builtInPrompt('mayor-decompose'), /\[depends: N, M\]/);
    assert.match(builtInPrompt('mayor-decompose'), /\[specialist: NAME\]/);
    assert.match(builtInPrompt('witness'), /^SCORE: /m);
    assert.equal(parseReview('SCORE: 6\nREASON: ok\nFINDINGS:\n- a.ts:3: error: x').findings.length, 1);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    assert.equal(fillPrompt('at most {{max_subtasks}} for {{who}}', { max_subtasks: '10' }), 'at most 10 for {{who}}');
  });
});
