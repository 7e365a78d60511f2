import assert from 'node:assert/strict';
import { fixedText } from '../../../server/src/edits/fixed-text';

const FILE = 'export function greet(name: string) {\n  return "Hello " + name;\n}\n\nexport const VERSION = 1;\n';

describe('the refinery’s fix of one file', () => {
  it('applies its edits to the text as the editor has it, keeping every other line', () => {
    const answer = 'Fixed the greeting.\n\nsrc/greet.ts\n```ts\n<<<<<<< SEARCH\n  return "Hello " + name;\n=======\n  return `Hello, ${name}!`;\n>>>>>>> REPLACE\n```\n';
    assert.deepEqual(fixedText(answer, 'src/greet.ts', FILE), { ok: true, content: FILE.replace('"Hello " + name', '`Hello, ${name}!`') });
  });

  it('takes a whole file named by its base name, and refuses edits that do not apply or an answer without the file', () => {
    assert.deepEqual(fixedText('===FILE: greet.ts===\nexport {};\n===ENDFILE===', 'src/greet.ts', FILE), { ok: true, content: 'export {};\n' });
    const stale = fixedText('greet.ts\n<<<<<<< SEARCH\n  return "Hi " + name;\n=======\n  return name;\n>>>>>>> REPLACE\n', 'src/greet.ts', FILE);
    assert.equal(stale.ok, false);
    assert.match(stale.ok ? '' : stale.reason, /^answered with edits that do not apply/);
    assert.deepEqual(fixedText('Looks fine to me.', 'src/greet.ts', FILE), { ok: false, reason: 'answered without the file or an edit of it' });
  });
});
