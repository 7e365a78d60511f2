// `et session`: a persistent worker conversation whose turns run in the background (a real detached
// `et` process each), with the transcript carried from turn to turn, files written into --dir, output
// followed by attach, and kill stopping a turn for good.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChatMessage } from '../../server/src/providers/language-model';
import type { SessionInfo } from '../../server/src/protocol';
import { FakeOpenAi } from '../helpers/fake-openai';
import { fileBlock } from '../helpers/fake-team';
import { greeterConfig } from '../helpers/greeter-scenario';
import { LspProcess, SERVER_BUNDLE } from '../helpers/lsp-process';
import { runEt } from '../helpers/run-cli';

describe('et session', function () {
  this.timeout(30_000);

  it('spawns, answers in the background, carries the conversation, and stops for good when killed', async () => {
    const openai = await FakeOpenAi.start();
    try {
      const directory = mkdtempSync(path.join(tmpdir(), 'et-session-'));
      const config = path.join(directory, 'electrictown.yaml');
      writeFileSync(config, greeterConfig(openai.baseUrl));
      openai.respondWith((request) => {
        const messages = request.body?.messages as ChatMessage[];
        const last = messages.at(-1)?.content ?? '';
        if (last.includes('hang')) return { kind: 'hang' };
        return { kind: 'answer', text: last.includes('bye') ? `Added it.\n\n${fileBlock('bye.txt', 'bye\n')}` : `Here.\n\n${fileBlock('hello.txt', 'hi\n')}`, usage: { prompt: 50, completion: 10 } };
      });
      const et = (args: string[]) => runEt(['--config', config, 'session', ...args], { cwd: directory, env: { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' }, self: [process.execPath, SERVER_BUNDLE] });

      const spawned = await et(['spawn', '--dir', 'work', 'Write hello.txt']);
      assert.equal(spawned.exitCode, 0, spawned.stderr);
      const id = spawned.stdout.trim();
      assert.match(id, /^[0-9a-f]{10}$/);
      const first = await et(['attach', id, '--until-idle']);
      assert.match(first.stdout, /^\n>>> Write hello\.txt\n\n=== turn 1 ===\nHere\.\n\n===FILE: hello\.txt===\nhi\n===ENDFILE===\n\[wrote hello\.txt\]\n$/);
      assert.equal(readFileSync(path.join(directory, 'work', 'hello.txt'), 'utf8'), 'hi\n');

      assert.equal((await et(['send', id, 'Now add bye.txt'])).exitCode, 0);
      await et(['attach', id, '--until-idle']);
      assert.equal(readFileSync(path.join(directory, 'work', 'bye.txt'), 'utf8'), 'bye\n');
      // The second turn saw the whole conversation, under the role's system prompt.
      const second = openai.requests.at(-1)?.body?.messages as ChatMessage[];
      assert.deepEqual(second.map((message) => message.role), ['system', 'user', 'assistant', 'user']);
      assert.equal(second[2].content, `Here.\n\n${fileBlock('hello.txt', 'hi\n')}`);

      const listed = JSON.parse((await et(['list', '--json'])).stdout) as { id: string; status: string; turns: number; usd: number }[];
      assert.deepEqual(listed.map((session) => [session.id, session.status, session.turns]), [[id, 'idle', 2]]);
      assert.ok(listed[0].usd > 0);

      // A turn that hangs is stopped by kill, and the session takes no more messages.
      assert.equal((await et(['send', id, 'Please hang'])).exitCode, 0);
      const state = () => JSON.parse(readFileSync(path.join(directory, 'logs', 'sessions', id, 'state.json'), 'utf8')) as { status: string; pid: number | null };
      while (openai.requests.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      const pid = state().pid as number;
      assert.equal((await et(['kill', id])).exitCode, 0);
      while (existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(state().status, 'killed');
      const refused = await et(['send', id, 'more']);
      assert.deepEqual([refused.exitCode, refused.stderr], [1, `error: session ${id} was killed; it takes no more messages\n`]);
      const unknown = await et(['attach', 'ffffffffff']);
      assert.equal(unknown.exitCode, 1);
      assert.match(unknown.stderr, /^error: no session ffffffffff in /);
    } finally {
      await openai.stop();
    }
  });

  it('is the same session from the editor’s server and from the CLI', async () => {
    const openai = await FakeOpenAi.start();
    const server = LspProcess.start({ ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' });
    try {
      const directory = mkdtempSync(path.join(tmpdir(), 'et-session-lsp-'));
      const config = path.join(directory, 'electrictown.yaml');
      writeFileSync(config, greeterConfig(openai.baseUrl));
      openai.respondWith((request) => ({ kind: 'answer', text: `Answer ${(request.body?.messages as ChatMessage[]).length}.`, usage: { prompt: 20, completion: 3 } }));
      await server.initialize({ rootUri: pathToFileURL(directory).href });
      const spawned = await server.request<SessionInfo>('electrictown/session/spawn', { prompt: 'Hello' });
      assert.equal(spawned.status, 'running');
      const idle = async () => {
        for (;;) {
          const got = await server.request<{ session: SessionInfo; transcript: ChatMessage[]; output: string }>('electrictown/session/get', { id: spawned.id });
          if (got.session.status !== 'running') return got;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const first = await idle();
      assert.deepEqual(first.transcript, [{ role: 'user', content: 'Hello' }, { role: 'assistant', content: 'Answer 2.' }]);
      // The CLI continues it, and the server sees the turn.
      const cli = (args: string[]) => runEt(['--config', config, 'session', ...args], { cwd: directory, env: { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' }, self: [process.execPath, SERVER_BUNDLE] });
      assert.equal((await cli(['send', spawned.id, 'Again'])).exitCode, 0);
      await cli(['attach', spawned.id, '--until-idle']);
      const second = await idle();
      assert.deepEqual(second.transcript.map((message) => message.content), ['Hello', 'Answer 2.', 'Again', 'Answer 4.']);
      assert.match(second.output, /=== turn 2 ===\nAnswer 4\.$/);
      const listed = await server.request<SessionInfo[]>('electrictown/session/list', {});
      assert.deepEqual(listed.map((session) => [session.id, session.status, session.turns]), [[spawned.id, 'idle', 2]]);
      assert.equal((await server.request<SessionInfo>('electrictown/session/kill', { id: spawned.id })).status, 'killed');
      await assert.rejects(server.request('electrictown/session/send', { id: spawned.id, text: 'more' }), /was killed; it takes no more messages/);
    } finally {
      server.kill();
      await openai.stop();
    }
  });
});
