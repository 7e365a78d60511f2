// npm run fuzz [-- SEED] [--cases N] [--case N]: the config fuzzer (test/helpers/config-fuzz.ts) at
// length. 10,000 cases by default; the unit suite runs the first 1,000 of seed 1 on every test run.
// Exits 1 and prints each failing case (seed, case number, mutations, text) when a property fails.
// `--case N` runs that case alone, with a fresh incremental parser; a failure that needs the parser's
// state from earlier cases of the same fixture shows again with `--cases N+1`.
import { parseArgs } from 'node:util';
import { describeFailure, runFuzz } from '../test/helpers/config-fuzz';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seed: { type: 'string' }, cases: { type: 'string', default: '10000' }, case: { type: 'string' } },
});
const seed = Number(values.seed ?? positionals[0] ?? 1);
const single = values.case === undefined ? undefined : Number(values.case);
const cases = single === undefined ? Number(values.cases) : 1;
if (!Number.isInteger(seed) || !Number.isInteger(cases) || cases < 1 || (single !== undefined && !Number.isInteger(single))) {
  process.stderr.write('usage: npm run fuzz -- [SEED] [--cases N] [--case N]\n');
  process.exit(2);
}
const started = Date.now();
const report = runFuzz(seed, cases, {
  from: single ?? 0,
  onCase: (index) => {
    if ((index + 1) % 1000 === 0) process.stderr.write(`${index + 1} cases, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  },
});
for (const failure of report.failures) process.stdout.write(`${describeFailure(seed, failure)}\n\n`);
process.stdout.write(
  `seed ${seed}: ${report.cases} cases, ${report.failures.length} failing, ${report.incrementalCases} through the incremental parser's fast path, slowest analysis ${report.slowestMs.toFixed(1)} ms (case ${report.slowestCase}), ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
process.exit(report.failures.length > 0 ? 1 : 0);
