import assert from 'node:assert/strict';
import { looksSecret, stepEnvironment } from '../../../server/src/build/step-environment';

describe('a build step’s environment', () => {
  it('leaves out what looks like a secret', () => {
    const secret = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_APIKEY', 'API_KEY', 'GITHUB_TOKEN', 'HF_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'CLIENT_SECRET', 'DB_PASSWORD', 'PGPASSWORD', 'MYSQL_PASSWD', 'npm_config__auth_token'];
    const plain = ['PATH', 'HOME', 'GOPATH', 'TOKENIZERS_PARALLELISM', 'KEYBOARD', 'API_KEY_FILE_HINT', 'TERM', 'CARGO_HOME'];
    assert.deepEqual(secret.filter((name) => !looksSecret(name)), []);
    assert.deepEqual(plain.filter(looksSecret), []);
  });

  it('keeps the rest of the parent’s, without the names it is given', () => {
    const parent = { PATH: '/usr/bin', OPENAI_API_KEY: 'sk-1', MY_LLM: 'named', GOFLAGS: '-mod=mod', EMPTY: '', UNSET: undefined };
    assert.deepEqual(stepEnvironment(parent, ['MY_LLM']), { PATH: '/usr/bin', GOFLAGS: '-mod=mod', EMPTY: '' });
    assert.deepEqual(stepEnvironment(parent), { PATH: '/usr/bin', MY_LLM: 'named', GOFLAGS: '-mod=mod', EMPTY: '' });
    assert.equal(parent.OPENAI_API_KEY, 'sk-1', 'the parent is left as it was');
  });
});
