// Config fixtures and their expected issues, one line each:
//   LINE:COL-LINE:COL severity [code] message      (1-based, as editors show positions)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeConfig } from '../../server/src/config/analyze';
import type { ConfigIssue } from '../../server/src/config/issues';
import { LineIndex } from '../../server/src/config/line-index';

export const CONFIG_FIXTURES = path.join(__dirname, '..', 'fixtures', 'config');

/** The environment fixtures are checked against: some variables set, every ET_TEST_UNSET_* unset. */
export const FIXTURE_ENVIRONMENT: Readonly<Record<string, string>> = {
  ET_TEST_PRESENT_KEY: 'sk-test-present',
  ET_TEST_ANTHROPIC_KEY: 'sk-ant-test',
  ET_TEST_CORP_KEY: 'no-colon-here',
  ET_TEST_OPENAI_KEY: 'sk-openai-test',
};

export function fixtureNames(kind: 'valid' | 'invalid'): string[] {
  return readdirSync(path.join(CONFIG_FIXTURES, kind))
    .filter((file) => file.endsWith('.yaml'))
    .sort();
}

export function formatExpectation(issue: ConfigIssue, lines: LineIndex): string {
  const start = lines.positionAt(issue.start);
  const end = lines.positionAt(issue.end);
  return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${issue.severity} [${issue.code}] ${issue.message}`;
}

export function actualIssueLines(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const lines = new LineIndex(text);
  return analyzeConfig(text, FIXTURE_ENVIRONMENT).issues.map((issue) => formatExpectation(issue, lines));
}

export function expectedIssueLines(file: string): string[] {
  return readFileSync(file.replace(/\.yaml$/, '.expected'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
}
