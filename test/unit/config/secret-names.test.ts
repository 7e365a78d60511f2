import assert from 'node:assert/strict';
import { secretEnvNames } from '../../../server/src/config/secret-names';

describe('the variables a config reads secrets from', () => {
  it('are those its providers’ keys and headers name', () => {
    const providers = {
      local: { type: 'ollama' as const, base_url: '$OLLAMA_HOST' },
      work: { type: 'openai' as const, api_key: '${MY_LLM}', headers: { 'x-team': 'team-$TEAM_ID', 'x-other': 'plain' } },
      again: { type: 'anthropic' as const, api_key: '$MY_LLM' },
    };
    assert.deepEqual(secretEnvNames({ providers }), ['MY_LLM', 'TEAM_ID']);
  });
});
