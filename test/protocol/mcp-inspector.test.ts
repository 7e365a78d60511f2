// `et mcp` driven by a client nobody here wrote: the MCP Inspector's CLI mode, one process per call
// (each starts its own `et mcp` and ends it), against the fake OpenAI team — so the run started by one
// call is found and waited for by the next.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FakeOpenAi } from '../helpers/fake-openai';
import { team } from '../helpers/fake-team';
import { GREET, goodTeam, greeterConfig } from '../helpers/greeter-scenario';
import { SERVER_BUNDLE } from '../helpers/lsp-process';
import { TEST_HOME } from '../helpers/run-cli';

const INSPECTOR = path.join(__dirname, '..', '..', 'node_modules', '@modelcontextprotocol', 'inspector', 'cli', 'build', 'cli.js');
const KEY = 'fake-openai-key-0123456789';

describe('et mcp under the MCP Inspector (--cli)', function () {
  this.timeout(120_000);
  let openai: FakeOpenAi;
  let directory: string;

  before(async () => {
    openai = await FakeOpenAi.start();
    openai.respondWith(team(goodTeam).responder);
    directory = mkdtempSync(path.join(tmpdir(), 'et-inspector-'));
    writeFileSync(path.join(directory, 'electrictown.yaml'), greeterConfig(openai.baseUrl));
  });
  after(() => openai.stop());

  /** `inspector --cli node cli.js mcp --method METHOD …`; its stdout is the answer as JSON. */
  async function inspect(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await promisify(execFile)(process.execPath, [INSPECTOR, '--cli', process.execPath, SERVER_BUNDLE, 'mcp', ...args], { cwd: directory, env: { PATH: process.env.PATH, HOME: TEST_HOME, ET_TEST_OPENAI_KEY: KEY } });
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  it('lists the tools, starts a run, waits for it from another process, and reads the costs', async () => {
    const listed = (await inspect('--method', 'tools/list')) as { tools: { name: string; inputSchema: { properties: Record<string, unknown> } }[] };
    assert.deepEqual(listed.tools.map((tool) => tool.name).sort(), ['ask', 'cancel_run', 'continue_run', 'costs', 'list_runs', 'models', 'review', 'run', 'run_result', 'run_status']);

    // The Inspector turns each key=value into the type the tool's schema says (workers: a number).
    const started = (await inspect('--method', 'tools/call', '--tool-name', 'run', '--tool-arg', 'task=Build a greeter', '--tool-arg', 'output_dir=out', '--tool-arg', 'workers=2')) as { structuredContent: { runId: string; status: string } };
    assert.equal(started.structuredContent.status, 'running');
    const { runId } = started.structuredContent;

    const ended = (await inspect('--method', 'tools/call', '--tool-name', 'run_status', '--tool-arg', `run_id=${runId}`, '--tool-arg', 'wait_seconds=50')) as { structuredContent: { status: string; files: string[] } };
    assert.deepEqual([ended.structuredContent.status, ended.structuredContent.files.sort()], ['succeeded', ['README.md', 'src/greet.ts', 'src/main.ts']]);
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'greet.ts'), 'utf8'), GREET);

    const costs = (await inspect('--method', 'tools/call', '--tool-name', 'costs', '--tool-arg', 'by=model')) as { structuredContent: { total: { attempts: number } }; isError?: boolean };
    assert.equal(costs.isError, undefined);
    assert.equal(costs.structuredContent.total.attempts, 10);

    const record = (await inspect('--method', 'resources/read', '--uri', `electrictown://runs/${runId}`)) as { contents: { text: string }[] };
    assert.equal((JSON.parse(record.contents[0].text) as { status: string }).status, 'succeeded');
  });
});
