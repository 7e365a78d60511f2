// The endpoint health tests' config: every role on a backup model, but workers first on a primary that
// a test makes fail, each model on its own fake server so each one's requests can be counted.
import type { OpenAiReply } from './fake-openai';

/** OpenAI's 429 for a spent quota (wire-formats §1.6): billing, not transient. */
export const NO_QUOTA: OpenAiReply = { kind: 'error', status: 429, body: JSON.stringify({ error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }, null, 4) };

export function primaryAndBackupConfig(primaryBaseUrl: string, backupBaseUrl: string): string {
  return `providers:
  primary: { type: openai, base_url: "${primaryBaseUrl}", api_key: $ET_TEST_OPENAI_KEY }
  backup: { type: openai, base_url: "${backupBaseUrl}", api_key: $ET_TEST_OPENAI_KEY }
models:
  main: { provider: primary, model: coder-1 }
  spare: { provider: backup, model: coder-2 }
roles:
  mayor: { model: spare }
  polecat: { model: main, fallbacks: [spare] }
  witness: { model: spare }
  refinery: { model: spare }
defaults:
  log_dir: logs
`;
}
