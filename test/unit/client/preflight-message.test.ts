// Run Task's pre-flight message: one text naming every problem, and only the buttons that fix them.
import assert from 'node:assert/strict';
import { preflightMessage } from '../../../client/src/runs/preflight-message';
import type { PreflightProblem, PreflightResult } from '../../../server/src/protocol';

const result = (problems: PreflightProblem[], configPath: string | null = '/w/electrictown.yaml'): PreflightResult => ({ configPath, tried: [], roles: [], problems, elapsedMs: 3 });
const ollamaDown: PreflightProblem = { kind: 'unreachable', message: 'Ollama is not running at http://localhost:11434: start it (ollama serve), or point the roles at another provider (mayor, polecat)', provider: 'ollama', roles: ['mayor', 'polecat'] };
const unset = (variable: string): PreflightProblem => ({ kind: 'unset-variable', message: `${variable} is not set: provider "p" reads it (witness)`, variable, provider: 'p', roles: ['witness'] });

describe('pre-flight message', () => {
  it('says nothing when nothing is wrong', () => {
    assert.equal(preflightMessage(result([])), undefined);
  });

  it('names one problem, with Open Config and Run anyway', () => {
    assert.deepEqual(preflightMessage(result([ollamaDown])), {
      text: 'Electrictown: before a run: Ollama is not running at http://localhost:11434: start it (ollama serve), or point the roles at another provider (mayor, polecat).',
      buttons: ['Open Config', 'Run anyway'],
      variable: undefined,
    });
  });

  it('numbers several, and Set API Key takes the variable when only one is missing', () => {
    const message = preflightMessage(result([unset('OPENAI_API_KEY'), ollamaDown]));
    assert.equal(message?.text, 'Electrictown: 2 things to fix before a run: (1) OPENAI_API_KEY is not set: provider "p" reads it (witness); (2) Ollama is not running at http://localhost:11434: start it (ollama serve), or point the roles at another provider (mayor, polecat).');
    assert.deepEqual(message?.buttons, ['Set API Key', 'Open Config', 'Run anyway']);
    assert.equal(message?.variable, 'OPENAI_API_KEY');
    assert.equal(preflightMessage(result([unset('A_KEY'), unset('B_KEY')]))?.variable, undefined);
  });

  it('offers Create Config, and no Run anyway, when there is no config', () => {
    const message = preflightMessage(result([{ kind: 'no-config', message: 'no electrictown.yaml: looked for /w/electrictown.yaml', roles: [] }], null));
    assert.deepEqual(message?.buttons, ['Create Config']);
  });
});
