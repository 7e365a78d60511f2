// One file's new text from an answer about that file alone (the refinery's fix of a finding): its
// SEARCH/REPLACE edits applied to the text, or the whole file it gives. The answer may name the file as
// it was shown or by its base name. Pure.
import path from 'node:path';
import { applyEdits } from './apply-edits';
import { parseAnswer } from './parse-answer';

export function fixedText(answer: string, name: string, content: string): { ok: true; content: string } | { ok: false; reason: string } {
  const parsed = parseAnswer(answer);
  const isTheFile = (written: string) => written === name || path.basename(written) === path.basename(name);
  const whole = parsed.files.find((file) => isTheFile(file.path)) ?? (parsed.files.length === 1 && parsed.edits.length === 0 ? parsed.files[0] : undefined);
  const edits = parsed.edits.filter((edit) => isTheFile(edit.path));
  if (edits.length === 0) return whole ? { ok: true, content: whole.content } : { ok: false, reason: 'answered without the file or an edit of it' };
  const applied = applyEdits(whole?.content ?? content, edits);
  if (!applied.ok) return { ok: false, reason: `answered with edits that do not apply: ${applied.failures.map((failure) => failure.message.split('\n')[0]).join('; ')}` };
  return { ok: true, content: applied.content };
}
