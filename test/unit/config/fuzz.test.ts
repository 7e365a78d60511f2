// The config fuzzer (test/helpers/config-fuzz.ts), 1,000 cases of a fixed seed on every run;
// `npm run fuzz` runs 10,000 (or any seed).
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import { IncrementalYamlParser } from '../../../server/src/config/incremental-yaml';
import { checkCase, describeFailure, fuzzCase, loadCorpus, MAX_ANALYSIS_MS, prng, runFuzz, type Analyze } from '../../helpers/config-fuzz';

const SEED = 1;
const CASES = 1000;

describe('config fuzzing', () => {
  it('is deterministic: the same seed and case give the same text', () => {
    const corpus = loadCorpus();
    assert.deepEqual(fuzzCase(SEED, 517, corpus), fuzzCase(SEED, 517, corpus));
    assert.notDeepEqual(fuzzCase(SEED, 517, corpus).text, fuzzCase(SEED + 1, 517, corpus).text);
    const random = prng(42);
    const first = [random(), random(), random()];
    const again = prng(42);
    assert.deepEqual([again(), again(), again()], first);
    assert.ok(first.every((value) => value >= 0 && value < 1));
  });

  it(`${CASES} mutated configs: no throw, every range inside its document, incremental = full parse, each analysis within ${MAX_ANALYSIS_MS} ms`, function () {
    this.timeout(120_000);
    const report = runFuzz(SEED, CASES);
    assert.deepEqual(report.failures.map((failure) => describeFailure(SEED, failure)), []);
    // Half the cases are plain edits, so the incremental parser's fast path is held to the full parse often.
    assert.ok(report.incrementalCases >= CASES / 5, `only ${report.incrementalCases} cases took the incremental fast path`);
  });

  it('notices each property failing', () => {
    const fuzz = fuzzCase(SEED, 0, loadCorpus());
    const parser = new IncrementalYamlParser();
    const real = analyzeConfig(fuzz.text, {});
    const issue = { severity: 'error' as const, code: 'x', message: 'x', start: 0, end: 1 };
    const withIssues = (full: object[], incremental: object[] = full) => ((_text: string, _environment: unknown, incrementalParser?: unknown) => ({ ...real, issues: incrementalParser ? incremental : full })) as Analyze;
    const problems = (analyze: Analyze) => checkCase(fuzz, parser, analyze).problems.join('\n');
    assert.equal(problems(withIssues([issue])), '');
    assert.match(problems(withIssues([{ ...issue, end: fuzz.text.length + 1 }])), /outside the document/);
    assert.match(problems(withIssues([{ ...issue, start: 2 }])), /starts after it ends/);
    assert.match(problems(withIssues([issue], [])), /incremental parse's issues differ/);
    assert.match(problems(() => { throw new RangeError('boom'); }), /the analysis threw: RangeError: boom/);
    const slowFullParse = ((_text: string, _environment: unknown, incrementalParser?: unknown) => {
      const until = Date.now() + (incrementalParser ? 0 : MAX_ANALYSIS_MS + 20);
      while (Date.now() < until);
      return real;
    }) as Analyze;
    assert.match(problems(slowFullParse), /an analysis took \d+ ms/);
  });
});
