import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAnswer, type EditBlock } from '../../../server/src/edits/parse-answer';

const answer = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/edits/answers', name), 'utf8');
const edit = (filePath: string, search: string, replace: string, line: number, format: EditBlock['format'] = 'aider'): EditBlock => ({ path: filePath, search, replace, line, format });

describe('parseAnswer: edit blocks as models write them', () => {
  it('reads aider’s fenced blocks, several per file, with prose between; a block without a path line is for the file named last', () => {
    assert.deepEqual(parseAnswer(answer('aider-fenced.md')), {
      files: [],
      edits: [
        edit('handler.go', '// CreateItem handles POST /items.\n', '// DeleteItem handles DELETE /items/{id}.\nfunc DeleteItem(w http.ResponseWriter, r *http.Request) {\n\tmu.Lock()\n\tdefer mu.Unlock()\n\tdelete(items, r.PathValue("id"))\n\tw.WriteHeader(http.StatusNoContent)\n}\n\n// CreateItem handles POST /items.\n', 5),
        edit('handler.go', '\tmu.Lock()\n\tdefer mu.Unlock()\n\titems[item.ID] = item\n', '\tif item.ID == "" {\n\t\thttp.Error(w, "missing id", http.StatusBadRequest)\n\t\treturn\n\t}\n\tmu.Lock()\n\tdefer mu.Unlock()\n\titems[item.ID] = item\n', 23),
        edit('routes.go', '\tmux.HandleFunc("POST /items", CreateItem)\n', '\tmux.HandleFunc("POST /items", CreateItem)\n\tmux.HandleFunc("DELETE /items/{id}", DeleteItem)\n', 42),
      ],
      findings: [],
      cutOff: false,
    });
  });

  it('reads aider’s blocks without fences', () => {
    assert.deepEqual(parseAnswer(answer('aider-unfenced.md')).edits, [
      edit('handler.go', '// ListItems handles GET /items.\n', '// ListItems handles GET /items, in no particular order.\n', 4),
      edit('routes.go', '// Routes registers the item handlers.\n', '// Routes registers the item handlers on mux.\n', 11),
    ]);
  });

  it('reads the path as the fence’s first line (diff-fenced)', () => {
    const parsed = parseAnswer(answer('diff-fenced.md'));
    assert.deepEqual(parsed.edits, [
      edit('handler.go', '\tjson.NewEncoder(w).Encode(list)\n', '\tw.Header().Set("Content-Type", "application/json")\n\tjson.NewEncoder(w).Encode(list)\n', 5),
      edit('routes.go', '\tmux.HandleFunc("GET /items", ListItems)\n', '\tmux.HandleFunc("GET /items", ListItems)\n\tmux.HandleFunc("GET /items/", ListItems)\n', 15),
    ]);
    assert.deepEqual([parsed.files, parsed.findings], [[], []]);
  });

  it('reads Cline’s ------- SEARCH / +++++++ REPLACE blocks under a heading or a bold path', () => {
    assert.deepEqual(parseAnswer(answer('cline.md')), {
      files: [],
      edits: [
        edit('src/config.ts', 'export const PORT = 3000;\n', 'export const PORT = Number(process.env.PORT ?? 3000);\n', 3, 'cline'),
        edit('src/config.ts', "export const HOST = 'localhost';\n", "export const HOST = process.env.HOST ?? 'localhost';\n", 8, 'cline'),
        edit('src/server.ts', "import { PORT } from './config';\n", "import { HOST, PORT } from './config';\n", 17, 'cline'),
      ],
      findings: [],
      cutOff: false,
    });
  });

  it('reads new files and edits in one answer: a bold path before a plain fence is a file, before SEARCH/REPLACE it is edits', () => {
    assert.deepEqual(parseAnswer(answer('new-and-edited.md')), {
      files: [
        { path: 'src/validate.ts', content: 'export function isValidName(name: string): boolean {\n  return name.trim().length > 0;\n}\n', line: 3 },
        { path: 'docs/validate.md', content: '# Validation\n\nNames must not be blank.\n', line: 28 },
      ],
      edits: [
        edit('src/index.ts', "import { createServer } from './server';\n", "import { createServer } from './server';\nimport { isValidName } from './validate';\n", 12),
        // A fence whose info string names a path but holds SEARCH/REPLACE blocks is edits, not a file.
        edit('src/util.ts', "export const VERSION = '1.0.0';\n", "export const VERSION = '1.1.0';\n", 21),
      ],
      findings: [],
      cutOff: false,
    });
  });

  it('reads a CRLF answer with a BOM exactly as the LF one', () => {
    const lf = answer('aider-fenced.md');
    assert.deepEqual(parseAnswer(`\uFEFF${lf.replace(/\n/g, '\r\n')}`), parseAnswer(lf));
  });

  it('marks an answer cut off inside a REPLACE and keeps only the complete blocks', () => {
    assert.deepEqual(parseAnswer(answer('cut-off.md')), {
      files: [],
      edits: [edit('handler.go', '// ListItems handles GET /items.\n', '// ListItems handles GET /items, sorted by ID.\n', 3)],
      findings: [{ kind: 'unclosed-edit', line: 11, message: 'line 11: the answer ends inside the SEARCH/REPLACE block for handler.go (cut off, or its >>>>>>> REPLACE line is missing); it was not applied' }],
      cutOff: true,
    });
  });

  it('marks an answer cut off inside a SEARCH, and inside a whole-file fence', () => {
    const inSearch = parseAnswer('a.py\n<<<<<<< SEARCH\ndef f():\n    ret');
    assert.deepEqual([inSearch.edits, inSearch.cutOff, inSearch.findings.map((finding) => finding.kind)], [[], true, ['unclosed-edit']]);
    const inFile = parseAnswer('**src/a.ts**\n```ts\nexport const a =');
    assert.deepEqual([inFile.files, inFile.cutOff, inFile.findings.map((finding) => finding.kind)], [[{ path: 'src/a.ts', content: 'export const a =\n', line: 1 }], true, ['unclosed-fence']]);
    assert.equal(parseAnswer(answer('aider-fenced.md').replace(/\n```\n\nThat's all[^]*$/, '\n')).cutOff, false, 'a missing closing fence after a complete block is not a cut');
  });

  it('tolerates 5 to 9 marker characters, spaces around markers, and an indented block', () => {
    const parsed = parseAnswer('a.txt\n<<<<< SEARCH  \none\n=========\t\ntwo\n>>>>>>>>> REPLACE\n\n  <<<<<<<SEARCH\n  three\n  =======\n  four\n  >>>>>>> REPLACE');
    assert.deepEqual(parsed.edits, [edit('a.txt', 'one\n', 'two\n', 2), edit('a.txt', '  three\n', '  four\n', 8)]);
    assert.deepEqual(parsed.findings, []);
    // Four or ten characters are not markers.
    assert.deepEqual(parseAnswer('a.txt\n<<<< SEARCH\nx\n==========\ny\n>>>> REPLACE').edits, []);
  });

  it('takes the path from a backticked, bold, heading or colon-ended line', () => {
    for (const [pathLine, expected] of [
      ['`handler.go`', 'handler.go'],
      ['**handler.go**', 'handler.go'],
      ['### handler.go', 'handler.go'],
      ['handler.go:', 'handler.go'],
      ['**`src/my_file.go`:**', 'src/my_file.go'],
      ['src/my\\_file.go', 'src/my_file.go'],
      ['Makefile', 'Makefile'],
      ['- handler.go', 'handler.go'],
      ['2. **`handler.go`**', 'handler.go'],
    ]) {
      assert.deepEqual(parseAnswer(`Change:\n\n${pathLine}\n\`\`\`\n<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n\`\`\``).edits.map((block) => block.path), [expected], pathLine);
    }
  });

  it('keeps fences and marker-like lines inside a block as the block’s text', () => {
    const parsed = parseAnswer('README.md\n````markdown\n<<<<<<< SEARCH\n## Use\n\n```sh\nmake\n```\n=======\n## Use\n\n```sh\nmake test\n```\n\nTitle\n=======\n>>>>>>> REPLACE\n````');
    assert.deepEqual(parsed.edits, [edit('README.md', '## Use\n\n```sh\nmake\n```\n', '## Use\n\n```sh\nmake test\n```\n\nTitle\n=======\n', 3)]);
    assert.deepEqual(parsed.findings, []);
  });

  it('reads an empty SEARCH (a new file, or an append) as an empty search text', () => {
    assert.deepEqual(parseAnswer('Create it:\n\ntools/new.py\n```python\n<<<<<<< SEARCH\n=======\nprint("new")\n>>>>>>> REPLACE\n```').edits, [edit('tools/new.py', '', 'print("new")\n', 5)]);
  });

  it('reads SEARCH/REPLACE blocks inside ===FILE=== or FILENAME: as edits, never as a file holding the markers', () => {
    const framed = parseAnswer('===FILE: src/a.ts===\n<<<<<<< SEARCH\nconst a = 1;\n=======\nconst a = 2;\n>>>>>>> REPLACE\n===ENDFILE===\n');
    assert.deepEqual([framed.files, framed.edits, framed.findings], [[], [edit('src/a.ts', 'const a = 1;\n', 'const a = 2;\n', 2)], []]);
    const named = parseAnswer('FILENAME: src/b.ts\n```ts\n<<<<<<< SEARCH\nb()\n=======\nc()\n>>>>>>> REPLACE\n```\n');
    assert.deepEqual([named.files, named.edits], [[], [edit('src/b.ts', 'b()\n', 'c()\n', 3)]]);
  });
});

describe('parseAnswer: whole files', () => {
  it('keeps reading ===FILE===, FILENAME: and a fence naming its path', () => {
    const parsed = parseAnswer('Here:\n===FILE: src/a.ts===\nexport const a = 1;\n===ENDFILE===\n```python:tools/run.py\nrun()\n```');
    assert.deepEqual(parsed.files, [
      { path: 'src/a.ts', content: 'export const a = 1;\n', line: 2 },
      { path: 'tools/run.py', content: 'run()\n', line: 5 },
    ]);
    assert.deepEqual(parseAnswer('FILENAME: app/main.py\nprint("hi")\n').files, [{ path: 'app/main.py', content: 'print("hi")\n', line: 1 }]);
  });

  it('reads a whole-file block inside a fence, and a fence wrapped around a file block’s content', () => {
    const parsed = parseAnswer('```\n===FILE: main.go===\n```go\npackage main\n```\n===ENDFILE===\n```\n');
    assert.deepEqual([parsed.files, parsed.edits, parsed.findings], [[{ path: 'main.go', content: 'package main\n', line: 2 }], [], []]);
  });

  it('takes **path**, ### path, `path` and path: before a fence as a file at that path', () => {
    for (const pathLine of ['**lib/a.rb**', '### lib/a.rb', '`lib/a.rb`', 'lib/a.rb:', '1. **lib/a.rb**']) {
      assert.deepEqual(parseAnswer(`${pathLine}\n\n\`\`\`ruby\nputs 1\n\`\`\`\n`).files, [{ path: 'lib/a.rb', content: 'puts 1\n', line: 1 }], pathLine);
    }
    assert.deepEqual(parseAnswer('**Dockerfile**\n```\nFROM node:20\n```').files.map((file) => file.path), ['Dockerfile']);
  });

  it('does not take a snippet after a bold word, a heading or a sentence for a file', () => {
    const answerText = [
      '**Usage**', '```sh', 'npm test', '```',
      '### Example', '```ts', 'run();', '```',
      '**Note:**', '```', 'not a file', '```',
      '**v1.2.3**', '```', 'changelog', '```',
      'In `handler.go`, call it like this:', '```go', 'DeleteItem(w, r)', '```',
      // A bare path line before a snippet only names the file for edit blocks.
      'handler.go', '```go', 'DeleteItem(w, r)', '```',
      '- handler.go', '```go', 'DeleteItem(w, r)', '```',
    ].join('\n');
    assert.deepEqual(parseAnswer(answerText), { files: [], edits: [], findings: [], cutOff: false });
  });
});

describe('parseAnswer: findings', () => {
  it('reports a SEARCH with no file named before it', () => {
    const parsed = parseAnswer('Change this:\n```\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```');
    assert.deepEqual([parsed.edits, parsed.findings.map((finding) => [finding.kind, finding.line])], [[], [['edit-without-path', 3]]]);
  });

  it('reports a divider or a REPLACE line with no SEARCH open, but not a heading’s underline', () => {
    const parsed = parseAnswer('a.go\n```go\nold()\n=======\nnew()\n>>>>>>> REPLACE\n```\n\n=======\n\nTitle\n=======\n');
    assert.deepEqual(parsed.findings.map((finding) => [finding.kind, finding.line]), [['stray-replace-marker', 6], ['stray-divider', 9]]);
  });

  it('reports a block missing its divider or its REPLACE line, drops it, and reads the next block', () => {
    const parsed = parseAnswer('a.go\n<<<<<<< SEARCH\nold()\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nx()\n=======\ny()\n<<<<<<< SEARCH\nz()\n=======\nw()\n>>>>>>> REPLACE\n');
    assert.deepEqual(parsed.findings.map((finding) => [finding.kind, finding.line]), [['missing-divider', 2], ['missing-replace-marker', 5]]);
    assert.deepEqual(parsed.edits, [edit('a.go', 'z()\n', 'w()\n', 9)]);
    assert.equal(parsed.cutOff, false);
  });

  it('reports a block left open inside a closed ===FILE=== block as a missing marker, not a cut', () => {
    const parsed = parseAnswer('===FILE: a.go===\n<<<<<<< SEARCH\nx\n=======\ny\n===ENDFILE===\nThat is all.');
    assert.deepEqual([parsed.edits, parsed.cutOff, parsed.findings.map((finding) => finding.kind)], [[], false, ['missing-replace-marker']]);
  });

  it('reports a unified diff under a file’s name instead of taking it for the file', () => {
    const parsed = parseAnswer('**handler.go**\n```diff\n@@ -1,2 +1,2 @@\n-old()\n+new()\n```\n\n```diff routes.go\n-a\n+b\n```\n**fix.patch**\n```diff\n-a\n+b\n```');
    assert.deepEqual(parsed.findings.map((finding) => [finding.kind, finding.line]), [['unified-diff', 2], ['unified-diff', 8]]);
    assert.deepEqual(parsed.files.map((file) => file.path), ['fix.patch']);
  });

  it('finds nothing in prose', () => {
    assert.deepEqual(parseAnswer('I could not do this task: the spec does not say which file holds the handlers.'), { files: [], edits: [], findings: [], cutOff: false });
  });
});
