// `npm run demo`: `et run` end to end with no model and no network. A stand-in team on 127.0.0.1
// answers in OpenAI's wire format as a mayor, polecats, a witness and a refinery would for two tasks:
// a greeting CLI in Go, written from nothing; then a -shout flag added to that project, which the
// workers are shown and change with SEARCH/REPLACE edits. The real CLI, router, engine and run folder
// do the rest. The files land in ./demo-output, the run folders in ./demo-output/.electrictown.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { teamPhase } from './team-phase.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
// ET_DEMO_OUTPUT moves it elsewhere (the test that keeps this demo working does).
const output = path.resolve(process.env.ET_DEMO_OUTPUT ?? path.join(root, 'demo-output'));
const TASK = 'Write a small command-line greeter in Go, with a test and a README';
const EDIT_TASK = 'Add a -shout flag that prints the greeting in capitals, with a test';

const FILES = {
  1: ['go.mod', 'module example.com/greeter\n\ngo 1.22\n'],
  2: ['greet/greet.go', 'package greet\n\n// Greeting says hello to name, or to the world when name is empty.\nfunc Greeting(name string) string {\n\tif name == "" {\n\t\tname = "world"\n\t}\n\treturn "Hello, " + name + "!"\n}\n'],
  3: ['main.go', 'package main\n\nimport (\n\t"flag"\n\t"fmt"\n\n\t"example.com/greeter/greet"\n)\n\nfunc main() {\n\tname := flag.String("name", "", "who to greet")\n\tflag.Parse()\n\tfmt.Println(greet.Greeting(*name))\n}\n'],
  4: ['greet/greet_test.go', 'package greet\n\nimport "testing"\n\nfunc TestGreeting(t *testing.T) {\n\tif got := Greeting(""); got != "Hello, world!" {\n\t\tt.Fatalf("Greeting(\\"\\") = %q", got)\n\t}\n\tif got := Greeting("Ada"); got != "Hello, Ada!" {\n\t\tt.Fatalf("Greeting(\\"Ada\\") = %q", got)\n\t}\n}\n'],
  5: ['README.md', '# greeter\n\n    go run . -name Ada    # Hello, Ada!\n    go test ./...\n'],
};

const PLAN = `1. Create go.mod for module example.com/greeter.
2. Write greet/greet.go with Greeting(name string) string. [depends: 1]
3. Write main.go: a -name flag, prints greet.Greeting. [depends: 2]
4. Write greet/greet_test.go covering an empty and a given name. [depends: 2]
5. Write README.md: how to run and test it.`;

/** One SEARCH/REPLACE block as models write it: the path, then the block in a fence. */
const edit = (file, search, replace) => `${file}\n\`\`\`go\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n\`\`\``;

const EDIT_PLAN = `1. Add Shout(text string) string to greet/greet.go, tested in greet/greet_test.go. [files: greet/greet.go, greet/greet_test.go]
2. Add a -shout flag to main.go that prints the greeting through greet.Shout. [files: main.go] [depends: 1]`;

const EDITS = {
  1: `Shout goes beside Greeting, with its test.\n\n${edit('greet/greet.go', 'package greet\n', 'package greet\n\nimport "strings"\n')}\n\n${edit('greet/greet.go', '\treturn "Hello, " + name + "!"\n}\n', '\treturn "Hello, " + name + "!"\n}\n\n// Shout is text in capitals, for a greeting that must be heard.\nfunc Shout(text string) string {\n\treturn strings.ToUpper(text)\n}\n')}\n\n${edit('greet/greet_test.go', '\t\tt.Fatalf("Greeting(\\"Ada\\") = %q", got)\n\t}\n}\n', '\t\tt.Fatalf("Greeting(\\"Ada\\") = %q", got)\n\t}\n}\n\nfunc TestShout(t *testing.T) {\n\tif got := Shout("Hello, Ada!"); got != "HELLO, ADA!" {\n\t\tt.Fatalf("Shout = %q", got)\n\t}\n}\n')}`,
  2: edit('main.go', '\tname := flag.String("name", "", "who to greet")\n\tflag.Parse()\n\tfmt.Println(greet.Greeting(*name))\n', '\tname := flag.String("name", "", "who to greet")\n\tshout := flag.Bool("shout", false, "greet in capitals")\n\tflag.Parse()\n\tgreeting := greet.Greeting(*name)\n\tif *shout {\n\t\tgreeting = greet.Shout(greeting)\n\t}\n\tfmt.Println(greeting)\n'),
};

/** The second task's answers: the project exists, and the workers edit it. */
function editAnswer({ phase, subtask }) {
  switch (phase) {
    case 'decompose':
      return EDIT_PLAN;
    case 'coordinate':
      return 'greet.Shout(text string) string returns strings.ToUpper(text); main.go calls it when -shout is set.';
    case 'work':
      return EDITS[subtask];
    case 'review':
      return 'SCORE: 9\nREASON: Small edits; everything else is untouched.\nFINDINGS: none';
    case 'synthesize':
      return 'Added greet.Shout (greet/greet.go, tested in greet/greet_test.go) and a -shout flag in main.go; every other line is as it was.';
    default:
      return 'The greeter shouts on request: `go run . -name Ada -shout` prints HELLO, ADA!';
  }
}

function answer({ phase, subtask, task }) {
  if (task === EDIT_TASK) return editAnswer({ phase, subtask });
  switch (phase) {
    case 'decompose':
      return PLAN;
    case 'coordinate':
      return 'Module path example.com/greeter, Go 1.22. Package greet exports Greeting(name string) string; main imports it.';
    case 'work': {
      const [file, content] = FILES[subtask];
      return `===FILE: ${file}===\n${content}===ENDFILE===`;
    }
    case 'review':
      return 'SCORE: 9\nREASON: Correct, small and tested.\nFINDINGS: none';
    case 'synthesize':
      return 'Built a Go greeter: go.mod, greet/greet.go (Greeting), main.go (-name flag), greet/greet_test.go and README.md. Run it with `go run . -name Ada`; test with `go test ./...`.';
    default:
      return 'A Go greeter in demo-output/: `greet.Greeting` in greet/greet.go, the CLI in main.go (`go run . -name Ada`), tests in greet/greet_test.go (`go test ./...`).';
  }
}

function chunk(id, choices, usage = null) {
  return `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'demo', choices, usage })}\n\n`;
}

const server = createServer((request, response) => {
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    const text = answer({ ...teamPhase(body), task: body.messages.some((message) => message.role === 'user' && message.content.includes(EDIT_TASK)) ? EDIT_TASK : TASK });
    const usage = { prompt_tokens: Math.ceil(JSON.stringify(body.messages).length / 4), completion_tokens: Math.ceil(text.length / 4) };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    // A model takes a moment: 150 ms before the answer, then it streams a few words at a time.
    setTimeout(() => {
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'chatcmpl-demo', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: 'demo', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }], usage }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      const words = text.match(/\S+\s*/g) ?? [];
      let events = chunk('chatcmpl-demo', [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
      for (let index = 0; index < words.length; index += 3) events += chunk('chatcmpl-demo', [{ index: 0, delta: { content: words.slice(index, index + 3).join('') }, finish_reason: null }]);
      response.end(`${events}${chunk('chatcmpl-demo', [{ index: 0, delta: {}, finish_reason: 'stop' }])}${chunk('chatcmpl-demo', [], usage)}data: [DONE]\n\n`);
    }, 150);
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  mkdirSync(output, { recursive: true });
  const config = path.join(output, 'electrictown.demo.yaml');
  writeFileSync(
    config,
    `# The demo's config: every role on a stand-in for a model, served by scripts/demo.mjs.
providers:
  standin: { type: openai, base_url: "http://127.0.0.1:${port}/v1", auth_type: none }
models:
  planner: { provider: standin, model: demo-planner, pricing: { input: 3, output: 15 } }
  coder: { provider: standin, model: demo-coder, pricing: { input: 0.25, output: 2 } }
  reviewer: { provider: standin, model: demo-reviewer, pricing: { input: 1, output: 4 } }
roles:
  mayor: { model: planner }
  polecat: { model: coder }
  witness: { model: reviewer }
  refinery: { model: coder }
defaults:
  log_dir: .electrictown
`,
  );
  const run = (task) =>
    new Promise((resolve) => spawn(process.execPath, [path.join(root, 'server', 'out', 'cli.js'), '--config', config, 'run', '--output-dir', output, task], { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 1)));
  void (async () => {
    let code = await run(TASK);
    if (code === 0) {
      console.error(`\n— Now a change to the project that exists: the workers are shown its files and edit them in place.\n`);
      code = await run(EDIT_TASK);
    }
    server.close();
    if (code === 0) console.error(`\nThe files are in ${path.relative(process.cwd(), output) || '.'}/; the run folders in ${path.relative(process.cwd(), path.join(output, '.electrictown'))}/.`);
    process.exit(code);
  })();
});
