// A headless client of `et serve --stdio`, with nothing but Node: it starts a run, prints what happens,
// and exits with the run's exit code. What an AI coding agent or a script does to drive electrictown.
//   node examples/headless-run.mjs [--config PATH] [--output-dir DIR] "TASK"
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { config: { type: 'string' }, 'output-dir': { type: 'string' } }, allowPositionals: true });
const et = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'server', 'out', 'cli.js');
const server = spawn(process.execPath, [et, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });

// JSON-RPC over stdio: each message is `Content-Length: N\r\n\r\n` and N bytes of JSON.
let nextId = 1;
const pending = new Map();
const send = (message) => {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
};
const request = (method, params) =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    send({ id, method, params });
  });

let buffer = Buffer.alloc(0);
server.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd === -1) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
    buffer = buffer.subarray(headerEnd + 4 + length);
    if (message.id !== undefined && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(message.error.message));
      else resolve(message.result);
    } else if (message.method === 'electrictown/runEvent') {
      for (const event of message.params.events) void onEvent(event);
    }
  }
});

async function onEvent(event) {
  switch (event.kind) {
    case 'plan-ready':
      for (const subtask of event.subtasks) console.log(`plan  ${subtask.index}. ${subtask.text.split('\n')[0]}`);
      break;
    case 'subtask-end':
      console.log(`done  subtask ${event.subtask}: ${event.status} on ${event.model ?? '-'} ($${event.spend.usd.toFixed(4)})`);
      break;
    case 'file-write':
      console.log(`file  ${event.path} (${event.bytes} bytes)`);
      break;
    case 'run-end':
      console.log(`end   ${event.status}, $${event.spend.usd.toFixed(4)}${event.error ? `: ${event.error}` : ''}`);
      await request('shutdown', null);
      send({ method: 'exit' });
      process.exitCode = event.exitCode;
      break;
  }
}

await request('initialize', { processId: process.pid, rootUri: pathToFileURL(process.cwd()).href, capabilities: {} });
send({ method: 'initialized', params: {} });
try {
  const { runId, folder } = await request('electrictown/run', { task: positionals.join(' '), configPath: values.config, outputDir: values['output-dir'] });
  console.log(`run   ${runId} (${folder})`);
} catch (error) {
  console.error(`error: ${error.message}`);
  server.kill();
  process.exitCode = 2;
}
