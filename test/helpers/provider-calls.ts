// Collecting a model's stream, and expecting a ProviderError, for the adapter tests.
import type { StreamEvent } from '../../server/src/providers/language-model';
import { ProviderError } from '../../server/src/providers/provider-error';

export async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const all: StreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** The ProviderError a call fails with; anything else (success, another error) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (ProviderError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

export function streamedText(events: readonly StreamEvent[]): string {
  return events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
}
