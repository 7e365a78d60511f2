// `npm run demo`: `et run` end to end with no model and no network. A stand-in team on 127.0.0.1
// answers in OpenAI's wire format as a mayor, polecats, a witness and a refinery would for one task
// (a greeting CLI in Go); the real CLI, router, engine and run folder do the rest. The files land in
// ./demo-output, the run folder in ./demo-output/.electrictown.
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

function answer({ phase, subtask }) {
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
    const text = answer(teamPhase(body));
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
  const et = spawn(process.execPath, [path.join(root, 'server', 'out', 'cli.js'), '--config', config, 'run', '--output-dir', output, TASK], { stdio: 'inherit' });
  et.on('exit', (code) => {
    server.close();
    if (code === 0) console.error(`\nThe files are in ${path.relative(process.cwd(), output) || '.'}/; the run folder in ${path.relative(process.cwd(), path.join(output, '.electrictown'))}/.`);
    process.exit(code ?? 1);
  });
});
