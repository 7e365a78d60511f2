// The in-editor run view bench's rows: figures from view-bench.test.ts's JSON next to their floors,
// and a plain "not measured" when there is no VS Code to measure in.
import assert from 'node:assert/strict';
import { editorViewRows, notMeasuredRows, vscodeExecutable, type EditorViewFigures } from '../../../bench/editor-view';

const summary = (medianMs: number, count: number) => ({ count, medianMs, p95Ms: medianMs * 2, maxMs: medianMs * 3, totalMs: medianMs * count });
const figures: EditorViewFigures = {
  subtasks: 64,
  answerChars: 80_000,
  vscode: '1.139.1',
  firstPaintMs: 300,
  firstPageRenderMs: 16.6,
  trivialWebviewPaintMs: 150,
  pingMs: 4,
  perMessage: { stream: summary(2, 75), page: summary(20, 3) },
  hostWithView: { wallMs: 5000, cpuMs: 400, cpuShare: 0.08, events: 1177, batches: 78 },
  hostWithoutView: { wallMs: 4000, cpuMs: 200, cpuShare: 0.05, events: 1175, batches: 70 },
};

describe('bench: the run view in VS Code', () => {
  it('puts each figure next to its floor, with the ratio', () => {
    const [paint, message, cpu, activation] = editorViewRows(figures, { medianMs: 14, measuredAt: new Date('2026-12-07T05:00:00Z') });
    assert.deepEqual(paint.slice(1), ['300 ms', '150 ms (a trivial webview opened → painted)', '2.00×', '']);
    assert.match(paint[0], /64-subtask run, 5\.1 MB of answers, VS Code 1\.139\.1; the page's own render 17 ms/);
    assert.deepEqual(message.slice(1, 4), ['2.0 ms', "4.0 ms (an empty message's round trip)", '0.50×']);
    assert.match(message[0], /75 messages, p95 4\.0 ms, max 6\.0 ms, 150 ms in all; 3 pages, median 20 ms/);
    assert.deepEqual(cpu.slice(1, 4), ['400 ms (8% of 5.0 s)', '200 ms (5% of 4.0 s), view closed', '2.00×']);
    assert.deepEqual(activation.slice(1), ['14 ms', '', '', '≤ 25 ms']);
    assert.match(activation[0], /UI check of 2026-12-07 05:00 UTC/);
  });

  it('says when activation has no figure, and why nothing was measured', () => {
    assert.match(editorViewRows(figures, undefined)[3][1], /^not measured: no UI check figure/);
    const rows = notMeasuredRows('no VS Code (set VSCODE_EXECUTABLE_PATH)');
    assert.equal(rows.length, 4);
    for (const row of rows) assert.equal(row[1], 'not measured: no VS Code (set VSCODE_EXECUTABLE_PATH)');
  });

  it('runs in the VS Code VSCODE_EXECUTABLE_PATH names', () => {
    assert.equal(vscodeExecutable({ VSCODE_EXECUTABLE_PATH: '/opt/code/code' }), '/opt/code/code');
  });
});
