// The stand-in provider for the 64-subtask run, in a process of its own (forked by
// responsiveness.test.ts), so that the extension host's event loop carries only the extension's work.
// The mayor plans `argv[2]` parts; each worker writes its part (of about `argv[5]` characters, when
// given); the witness passes them all. Answers stream in `argv[3]` chunks `argv[4]` ms apart. Sends its
// base URL to the parent when listening; exits with the parent.
import { StandIn } from './stand-in';

export const partFile = (index: number): string => `part-${String(index).padStart(2, '0')}.md`;

/** A part's body: three lines, or generated lines up to about `chars` characters. */
function partBody(file: string, chars: number): string {
  const lines = 'One line.\nAnother line.\nA third line.\n';
  if (chars <= lines.length) return lines;
  const line = `- ${file}: a generated line of the part, long enough to look like code.\n`;
  return line.repeat(Math.ceil(chars / line.length));
}

export function partsAnswers(count: number, answerChars = 0) {
  return {
    plan: Array.from({ length: count }, (_, index) => `${index + 1}. Write ${partFile(index + 1)} with a heading and three lines.`).join('\n'),
    work: (subtask: string) => {
      const file = /part-\d+\.md/.exec(subtask)?.[0] ?? 'stray.md';
      return `Here it is.\n===FILE: ${file}===\n# ${file}\n\n${partBody(file, answerChars)}===ENDFILE===`;
    },
    review: () => 'SCORE: 9\nREASON: Fine.',
    fix: 'Nothing to fix.',
    summary: 'Wrote the parts.',
  };
}

if (require.main === module) {
  void StandIn.start(partsAnswers(Number(process.argv[2]), Number(process.argv[5] ?? 0))).then((standIn) => {
    // Many small deltas per answer, spaced out, as a model streams tokens.
    standIn.streamChunks = Number(process.argv[3] ?? 1);
    standIn.chunkGapMs = Number(process.argv[4] ?? 0);
    process.send?.({ baseUrl: standIn.baseUrl });
    process.on('disconnect', () => process.exit(0));
  });
}
