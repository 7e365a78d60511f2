// Whether an accepted file is still as accepted, back as it was (its accept undone), or edited since.
// Pure.
export type AcceptedState = 'accepted' | 'undone' | 'edited';

const normalized = (text: string) => text.replace(/\r\n/g, '\n');

/** `now`/`before`: the file's text, or undefined when there is no file. */
export function acceptedState(now: string | undefined, before: string | undefined, after: string): AcceptedState {
  if (before === undefined ? now === undefined : now !== undefined && normalized(now) === normalized(before)) return 'undone';
  if (now !== undefined && normalized(now) === normalized(after)) return 'accepted';
  return 'edited';
}
