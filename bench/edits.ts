// Applying one SEARCH/REPLACE block to a 10,000-line file (server/src/edits/apply-edits.ts), the whole
// call: splitting the file into lines, finding the SEARCH, replacing, joining the file again. Against a
// floor every applier pays at least once, String.prototype.indexOf of the SEARCH text in the file text:
//   exact        a 6-line SEARCH near the end, copied exactly                  floor: indexOf, found
//   whitespace   the same SEARCH indented 2 spaces deeper (re-indented)         floor: indexOf, not found
//   not-found    a SEARCH with one wrong line: the refusal, with the closest     floor: indexOf, not found
//                lines of the file in its message
// and the exact case against what no line-based applier avoids: splitting the file into lines and
// joining them again.
import { performance } from 'node:perf_hooks';
import { applyEdits } from '../server/src/edits/apply-edits';
import type { EditBlock } from '../server/src/edits/parse-answer';
import { median } from './measure';
import type { Row } from './router';

const ITERATIONS = 200;
const LINES = 10_000;

/** A 10,000-line TypeScript-like file: functions of 20 lines, each body different. */
export function largeSource(): string {
  const lines: string[] = [];
  for (let index = 0; lines.length < LINES; index++) {
    lines.push(`export function handler${index}(request: Request, items: Map<string, Item>): Response {`);
    for (let step = 0; step < 16; step++) lines.push(`    const value${step} = items.get(request.query.id${(index * 7 + step) % 97}) ?? defaultItem(${step});`);
    lines.push(`    return respond(value0, ${index});`, '}', '');
  }
  return `${lines.slice(0, LINES).join('\n')}\n`;
}

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

export function editsRows(): Row[] {
  const file = largeSource();
  const lines = file.split('\n');
  // A function's first 6 lines: its header makes the SEARCH unique.
  const start = 9_000;
  const exactSearch = `${lines.slice(start, start + 6).join('\n')}\n`;
  const block = (search: string): EditBlock => ({ path: 'handlers.ts', search, replace: `${search}    audit(request);\n`, line: 1, format: 'aider' });
  const cases: [string, string, (result: ReturnType<typeof applyEdits>) => boolean][] = [
    ['exact', exactSearch, (result) => result.ok && result.applied[0].match === 'exact'],
    // Every line two spaces deeper, as a model that lost track of the nesting writes it.
    ['whitespace', exactSearch.replace(/^/gm, '  ').replace(/ {2}$/, ''), (result) => result.ok && result.applied[0].match === 'whitespace'],
    ['not-found', exactSearch.replace('value2 ', 'valueTwo '), (result) => !result.ok && result.failures[0].message.includes('closest lines')],
  ];
  const rows: Row[] = [];
  // What a line-based applier cannot avoid: the file into lines and back.
  const splitJoin = () => file.split('\n').join('\n');
  for (const [name, search, expected] of cases) {
    const blocks = [block(search)];
    if (!expected(applyEdits(file, blocks))) throw new Error(`bench/edits: the ${name} case does not do what it measures`);
    for (let warmup = 0; warmup < 20; warmup++) applyEdits(file, blocks), file.indexOf(search);
    // Alternating, so drift on a shared machine hits both alike.
    const subject: number[] = [];
    const floor: number[] = [];
    const linesFloor: number[] = [];
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      subject.push(timed(() => applyEdits(file, blocks)));
      floor.push(timed(() => file.indexOf(search)));
      if (name === 'exact') linesFloor.push(timed(splitJoin));
    }
    const [time, base] = [median(subject), median(floor)];
    rows.push([
      `edits: one ${name === 'not-found' ? 'refused' : name} block, ${LINES.toLocaleString('en')}-line file${name === 'not-found' ? ' (closest lines found)' : ''}`,
      `${(time * 1000).toFixed(0)} µs`,
      `${(base * 1000).toFixed(0)} µs (indexOf of the SEARCH, ${file.includes(search) ? 'found' : 'not found'})`,
      `${(time / base).toFixed(1)}×`,
      '≤ 10 ms',
    ]);
    if (name === 'exact') {
      const lines = median(linesFloor);
      rows.push(['same, against a floor that splits the file into lines and joins them', `${(time * 1000).toFixed(0)} µs`, `${(lines * 1000).toFixed(0)} µs (split + join)`, `${(time / lines).toFixed(2)}×`, '']);
    }
  }
  return rows;
}

if (require.main === module) {
  for (const row of editsRows()) console.log(row.join(' | '));
}
