// Every provider call that ends in a provider error, kept for debugging as electrictown kept them: one
// JSON file under the log folder's failed_requests/ with the time, provider, model, endpoint URL,
// request body, and the status and body that came back. Secrets are removed before anything is
// written (headers are never kept at all), long texts are cut after that, and only the newest files
// stay. A dump that cannot be written is reported, never thrown into the call.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LanguageModel, StreamEvent } from './language-model';
import { ProviderError } from './provider-error';
import { redactSecrets } from './redact';

export const FAILED_REQUESTS_FOLDER = 'failed_requests';

export interface DumpLimits {
  /** Files kept; past it the oldest go. */
  files: number;
  /** Longest string kept whole (a prompt, the response body); longer ones keep their start and end. */
  stringChars: number;
  /** Largest file; a bigger request body is kept as the start of its JSON. */
  fileChars: number;
}

export const DUMP_LIMITS: DumpLimits = { files: 100, stringChars: 16 * 1024, fileChars: 512 * 1024 };

/** A string cut to `limit` characters: its start and end, and how much went between them. */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const half = Math.floor(limit / 2);
  return `${text.slice(0, half)}\n…[${text.length - 2 * half} characters cut]…\n${text.slice(text.length - half)}`;
}

/** Every string (and key) of a JSON value with secrets removed, then cut; secrets go first so no cut can split one. */
function clean(value: unknown, secrets: readonly string[], limit: number): unknown {
  if (typeof value === 'string') return cut(redactSecrets(value, secrets), limit);
  if (Array.isArray(value)) return value.map((item) => clean(item, secrets, limit));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactSecrets(key, secrets), clean(item, secrets, limit)]));
  }
  return value;
}

export interface DumpSubject {
  error: ProviderError;
  modelId: string;
  time: Date;
}

/** The file's text for a failed call, or undefined when the call never reached the wire (nothing was sent). Pure. */
export function failedRequestDump({ error, modelId, time }: DumpSubject, secrets: readonly string[], limits: DumpLimits = DUMP_LIMITS): string | undefined {
  if (!error.request) return undefined;
  const record = {
    time: time.toISOString(),
    provider: error.provider,
    providerType: error.providerType,
    model: modelId,
    url: redactSecrets(error.request.url, secrets),
    errorClass: error.errorClass,
    message: redactSecrets(error.message, secrets),
    request: clean(error.request.body, secrets, limits.stringChars),
    response: { status: error.status ?? null, body: error.responseBody === undefined ? null : clean(error.responseBody, secrets, limits.stringChars) },
  };
  const text = `${JSON.stringify(record, null, 2)}\n`;
  if (text.length <= limits.fileChars) return text;
  // Many messages, each under the string limit: keep the start of the request, already redacted.
  const requestJson = JSON.stringify(record.request);
  const room = Math.max(0, limits.fileChars - (text.length - JSON.stringify(record.request, null, 2).length) - 200);
  return `${JSON.stringify({ ...record, request: { cut: true, characters: requestJson.length, start: requestJson.slice(0, room) } }, null, 2)}\n`;
}

/** A file name that sorts by time: the ISO time made safe for every file system, the provider, a random tail. */
function fileName(time: Date, provider: string): string {
  return `${time.toISOString().replace(/[:.]/g, '-')}-${provider.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}-${randomBytes(3).toString('hex')}.json`;
}

export class FailedRequestLog {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    /** The log folder's failed_requests/. */
    readonly directory: string,
    private readonly secrets: readonly string[],
    private readonly onError: (error: unknown) => void,
    private readonly limits: DumpLimits = DUMP_LIMITS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Queues the dump of a failed call; calls that were never sent are not dumped. */
  record(error: ProviderError, modelId: string): void {
    const time = this.now();
    const text = failedRequestDump({ error, modelId, time }, this.secrets, this.limits);
    if (text === undefined) return;
    this.writing = this.writing.then(() => this.write(fileName(time, error.provider), text)).catch(this.onError);
  }

  /** Resolves when every dump recorded so far is written (or reported as failed). */
  settled(): Promise<void> {
    return this.writing;
  }

  private async write(name: string, text: string): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await writeFile(path.join(this.directory, name), text, { mode: 0o600 });
    const files = (await readdir(this.directory)).filter((file) => file.endsWith('.json')).sort();
    for (const old of files.slice(0, Math.max(0, files.length - this.limits.files))) await rm(path.join(this.directory, old), { force: true });
  }
}

/** The model with every failed call dumped to `log`; what the caller sees is unchanged. */
export function withFailedRequestLog(model: LanguageModel, log: FailedRequestLog): LanguageModel {
  const dumped = (error: unknown) => {
    if (ProviderError.isInstance(error)) log.record(error, model.modelId);
    return error;
  };
  return {
    provider: model.provider,
    providerType: model.providerType,
    modelId: model.modelId,
    async generate(options) {
      try {
        return await model.generate(options);
      } catch (error) {
        throw dumped(error);
      }
    },
    async *stream(options): AsyncGenerator<StreamEvent> {
      try {
        yield* model.stream(options);
      } catch (error) {
        throw dumped(error);
      }
    },
  };
}
