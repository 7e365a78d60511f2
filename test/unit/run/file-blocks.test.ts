import assert from 'node:assert/strict';
import { parseFileBlocks } from '../../../server/src/run/file-blocks';

describe('file blocks in a worker’s answer', () => {
  it('reads electrictown’s ===FILE=== blocks, keeping each file’s final newline', () => {
    const answer = 'Here you go.\n===FILE: src/a.ts===\nexport const a = 1;\n===ENDFILE===\n===FILE: README.md===\n# A\n\nText.\n===ENDFILE===\nDone.';
    assert.deepEqual(parseFileBlocks(answer), {
      files: [
        { path: 'src/a.ts', content: 'export const a = 1;\n', line: 2 },
        { path: 'README.md', content: '# A\n\nText.\n', line: 5 },
      ],
      findings: [],
    });
  });

  it('ends a block missing its end marker at the next block instead of swallowing it', () => {
    const answer = '===FILE: a.py===\nprint(1)\n\n===FILE: b.py===\nprint(2)\n===ENDFILE===\n';
    const parsed = parseFileBlocks(answer);
    assert.deepEqual(parsed.files.map((file) => [file.path, file.content]), [['a.py', 'print(1)\n'], ['b.py', 'print(2)\n']]);
    assert.deepEqual(parsed.findings.map((finding) => [finding.kind, finding.line]), [['missing-end-marker', 1]]);
  });

  it('removes a fence wrapped around a block’s content, but keeps fences inside a Markdown file', () => {
    const wrapped = parseFileBlocks('===FILE: main.go===\n```go\npackage main\n```\n===ENDFILE===');
    assert.equal(wrapped.files[0].content, 'package main\n');
    const markdown = parseFileBlocks('===FILE: README.md===\n# Use\n\n```sh\nmake\n```\n\nThen run it.\n===ENDFILE===');
    assert.equal(markdown.files[0].content, '# Use\n\n```sh\nmake\n```\n\nThen run it.\n');
  });

  it('reads a first-line FILENAME:, and fenced blocks whose info string names a path', () => {
    assert.deepEqual(parseFileBlocks('FILENAME: app/main.py\nprint("hi")\n\n').files, [{ path: 'app/main.py', content: 'print("hi")\n', line: 1 }]);
    const fenced = parseFileBlocks('First:\n```ts src/index.ts\nexport {};\n```\nand\n```python:tools/run.py\nrun()\n```\n```bash\nnpm test\n```\n```Makefile\nall:\n```');
    assert.deepEqual(fenced.files.map((file) => [file.path, file.content]), [['src/index.ts', 'export {};\n'], ['tools/run.py', 'run()\n'], ['Makefile', 'all:\n']]);
  });

  it('finds blocks inside a fence that wraps the whole answer, with CRLF line ends', () => {
    const parsed = parseFileBlocks('```\r\n===FILE: x.txt===\r\nx\r\n===ENDFILE===\r\n```\r\n');
    assert.deepEqual(parsed.files, [{ path: 'x.txt', content: 'x\n', line: 2 }]);
  });

  it('reports an unclosed fence, a block without a path and a stray end marker', () => {
    const parsed = parseFileBlocks('===FILE: ===\nx\n===ENDFILE===\n===ENDFILE===\n```js lib/a.js\nconst a = 1;\n');
    assert.deepEqual(parsed.findings.map((finding) => finding.kind), ['empty-path', 'stray-end-marker', 'unclosed-fence']);
    assert.deepEqual(parsed.files.map((file) => [file.path, file.content]), [['lib/a.js', 'const a = 1;\n']]);
  });

  it('finds nothing in prose', () => {
    assert.deepEqual(parseFileBlocks('I could not do this task because the spec is unclear.'), { files: [], findings: [] });
  });
});
