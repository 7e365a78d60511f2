// A run of `et run` on a real project in a temp folder, with a scripted team on a fake OpenAI server:
// what the end-to-end tests on existing code share.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../server/src/protocol';
import { FakeOpenAi } from './fake-openai';
import { team, type TeamCall } from './fake-team';
import { greeterConfig } from './greeter-scenario';
import { runEt } from './run-cli';

/** A project in a temp folder (`files`), a config beside it, and `et run --output-dir project ARGS…` with a scripted team. */
export async function runOn(files: Record<string, string>, args: string[], scenario: (call: TeamCall) => string) {
  const openai = await FakeOpenAi.start();
  try {
    const directory = mkdtempSync(path.join(tmpdir(), 'et-existing-'));
    const project = path.join(directory, 'project');
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(project, name)), { recursive: true });
      writeFileSync(path.join(project, name), content);
    }
    const config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, greeterConfig(openai.baseUrl));
    const scripted = team(scenario);
    openai.respondWith(scripted.responder);
    const result = await runEt(['--config', config, 'run', '--output-dir', 'project', ...args], { cwd: directory, env: { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' } });
    const logs = path.join(directory, 'logs');
    const folder = readdirSync(logs).find((name) => /^\d{4}-\d{2}-\d{2}_/.test(name)) as string;
    const record = JSON.parse(readFileSync(path.join(logs, folder, 'run.json'), 'utf8')) as RunRecord;
    return { result, record, project, calls: scripted.calls, read: (name: string) => readFileSync(path.join(project, name), 'utf8') };
  } finally {
    await openai.stop();
  }
}

