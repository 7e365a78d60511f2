// What each custom message's params may be, as zod schemas mirroring the types in protocol.ts (which
// the extension imports, so it stays free of zod). The compiler holds each schema to its type: same
// keys, every value of the type accepted, nothing outside it let through. The run flags' rules are
// run-options.ts's own, so `et run` and `electrictown/run` refuse the same values.
import * as z from 'zod';
import type { NotificationType, RequestType } from 'vscode-languageserver/node';
import {
  ASK_REFINERY_COMMAND,
  CancelRunRequest,
  CostsRequest,
  GetRunRequest,
  GetTranscriptRequest,
  ListRunsRequest,
  ModelsRequest,
  PreflightRequest,
  DecideProposalsRequest,
  KeepCheckpointRequest,
  ListCheckpointsRequest,
  ReviewFileRequest,
  RunDefaultsRequest,
  RunRequest,
  SessionGetRequest,
  SessionKillRequest,
  SessionListRequest,
  SessionSendRequest,
  SessionSpawnRequest,
  WorkspaceTrustNotification,
  LanguageModelChatChunkNotification,
  type ElectrictownInitializationOptions,
  type RunParams,
} from '../protocol';
import { runFlagsSchema } from '../run/run-options';
import type { AskRefineryArguments } from './refinery-actions';

type ParamsOf<Message> = Message extends RequestType<infer P, infer _Result, infer _Error> ? P : Message extends NotificationType<infer P> ? P : never;
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
/** `Schema` when it mirrors `P` exactly; `never` (a compile error where it is used) when it does not. */
type Mirroring<Schema extends z.ZodType, P> = SameKeys<z.input<Schema>, P> extends true ? ([z.output<Schema>] extends [P] ? ([P] extends [z.input<Schema>] ? Schema : never) : never) : never;

/** Holds `schema` to the params type `P` at compile time; returns it unchanged. */
function mirror<P>() {
  return <Schema extends z.ZodType>(schema: Schema & Mirroring<Schema, P>): Schema => schema;
}

/** A schema built on first use: building all of them before the initialize reply cost ~8 ms of CPU per start. */
function lazy(build: () => z.ZodType): () => z.ZodType {
  let built: z.ZodType | undefined;
  return () => (built ??= build());
}

const configPath = () => z.string().optional();
const progressToken = () => z.union([z.number().int(), z.string()]);

/** `task` may be left out with `resume`, which continues the run's own task. */
type RunOrResumeParams = Omit<RunParams, 'task'> & { task?: string };

const runParams = () =>
  mirror<RunOrResumeParams>()(
    z
      .strictObject({
        task: z.string().optional(),
        configPath: configPath(),
        resume: z.string().regex(/\S/).optional(),
        continueRunId: z.string().regex(/\S/).optional(),
        writeMode: z.enum(['disk', 'workspaceEdit', 'review']).optional(),
        workDoneToken: progressToken().optional(),
        ...runFlagsSchema.shape,
      })
      .superRefine((params, context) => {
        if (params.task === undefined && params.resume === undefined && params.continueRunId === undefined) context.addIssue({ code: 'custom', path: ['task'], message: 'missing: say what to build (or resume a run)' });
        if (params.continueRunId !== undefined && (params.task === undefined || params.task.trim() === '')) context.addIssue({ code: 'custom', path: ['task'], message: 'missing: the refinement of the run to continue' });
        if (params.continueRunId !== undefined && params.resume !== undefined) context.addIssue({ code: 'custom', path: ['continueRunId'], message: 'not with resume: resume an interrupted run, or continue a finished one' });
      }),
  );

const position = () => z.strictObject({ line: z.number().int().min(0), character: z.number().int().min(0) });

/** The editor's diagnostic as LSP has it: its other fields (code, tags, data…) pass unchecked. */
const diagnostic = () =>
  z.looseObject({
    range: z.strictObject({ start: position(), end: position() }),
    message: z.union([z.string(), z.strictObject({ kind: z.enum(['plaintext', 'markdown']), value: z.string() })]),
    severity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
  });

const askRefineryArguments = () => mirror<AskRefineryArguments>()(z.strictObject({ uri: z.string(), diagnostic: diagnostic(), text: z.string().optional(), version: z.number().int().optional() }));

/** `workspace/executeCommand` of Ask refinery to fix: its one argument is checked like a request's params. */
const askRefineryCommand = lazy(() => z.looseObject({ command: z.literal(ASK_REFINERY_COMMAND), arguments: z.tuple([askRefineryArguments()]), workDoneToken: progressToken().optional() }));

const initializationOptions = () => mirror<ElectrictownInitializationOptions>()(z.strictObject({ workspaceTrusted: z.boolean().optional(), budgetPrompt: z.boolean().optional(), planApproval: z.boolean().optional(), showsRunProgress: z.boolean().optional(), configPath: z.string().optional(), languageModels: z.boolean().optional() }));

/** `initialize`: the standard fields are the library's to read; `initializationOptions` are ours. */
const initializeParams = () => z.looseObject({ initializationOptions: initializationOptions().nullish() });

/** Each custom message's params, built on first use; a method not listed is checked by its handler, if at all. */
export const PARAMS_SCHEMAS: Readonly<Record<string, () => z.ZodType>> = {
  initialize: lazy(initializeParams),
  [RunRequest.method]: lazy(runParams),
  [CancelRunRequest.method]: lazy(() => mirror<ParamsOf<typeof CancelRunRequest.type>>()(z.strictObject({ runId: z.string() }))),
  [ListRunsRequest.method]: lazy(() => mirror<ParamsOf<typeof ListRunsRequest.type>>()(z.strictObject({ configPath: configPath(), limit: z.number().int().min(1).optional() }))),
  [GetRunRequest.method]: lazy(() => mirror<ParamsOf<typeof GetRunRequest.type>>()(z.strictObject({ runId: z.string(), configPath: configPath() }))),
  [RunDefaultsRequest.method]: lazy(() => mirror<ParamsOf<typeof RunDefaultsRequest.type>>()(z.strictObject({ configPath: configPath() }))),
  [GetTranscriptRequest.method]: lazy(() => mirror<ParamsOf<typeof GetTranscriptRequest.type>>()(z.strictObject({ runId: z.string(), configPath: configPath(), cursor: z.number().int().min(0).optional(), maxBytes: z.number().int().min(1).optional() }))),
  [ModelsRequest.method]: lazy(() => mirror<ParamsOf<typeof ModelsRequest.type>>()(z.strictObject({ configPath: configPath() }))),
  [PreflightRequest.method]: lazy(() => mirror<ParamsOf<typeof PreflightRequest.type>>()(z.strictObject({ configPath: configPath() }))),
  [CostsRequest.method]: lazy(() => mirror<ParamsOf<typeof CostsRequest.type>>()(z.strictObject({ configPath: configPath(), by: z.enum(['role', 'provider', 'model', 'run']).optional(), since: z.string().optional() }))),
  [ReviewFileRequest.method]: lazy(() => mirror<ParamsOf<typeof ReviewFileRequest.type>>()(z.strictObject({ uri: z.string(), text: z.string().optional() }))),
  [DecideProposalsRequest.method]: lazy(() => mirror<ParamsOf<typeof DecideProposalsRequest.type>>()(z.strictObject({ runId: z.string(), configPath: configPath(), paths: z.array(z.string()), decision: z.enum(['pending', 'accepted', 'discarded']), partly: z.boolean().optional() }))),
  [KeepCheckpointRequest.method]: lazy(() => mirror<ParamsOf<typeof KeepCheckpointRequest.type>>()(z.strictObject({ runId: z.string(), configPath: configPath(), files: z.array(z.strictObject({ path: z.string(), before: z.string().nullable(), afterSha256: z.string() })) }))),
  [ListCheckpointsRequest.method]: lazy(() => mirror<ParamsOf<typeof ListCheckpointsRequest.type>>()(z.strictObject({ configPath: configPath() }))),
  [SessionSpawnRequest.method]: lazy(() => mirror<ParamsOf<typeof SessionSpawnRequest.type>>()(z.strictObject({ prompt: z.string(), role: z.string().optional(), dir: z.string().optional(), configPath: configPath() }))),
  [SessionSendRequest.method]: lazy(() => mirror<ParamsOf<typeof SessionSendRequest.type>>()(z.strictObject({ id: z.string(), text: z.string(), configPath: configPath() }))),
  [SessionListRequest.method]: lazy(() => mirror<ParamsOf<typeof SessionListRequest.type>>()(z.strictObject({ configPath: configPath() }))),
  [SessionGetRequest.method]: lazy(() => mirror<ParamsOf<typeof SessionGetRequest.type>>()(z.strictObject({ id: z.string(), configPath: configPath() }))),
  [SessionKillRequest.method]: lazy(() => mirror<ParamsOf<typeof SessionKillRequest.type>>()(z.strictObject({ id: z.string(), configPath: configPath() }))),
  [WorkspaceTrustNotification.method]: lazy(() => mirror<ParamsOf<typeof WorkspaceTrustNotification.type>>()(z.strictObject({ trusted: z.boolean() }))),
  [LanguageModelChatChunkNotification.method]: lazy(() => mirror<ParamsOf<typeof LanguageModelChatChunkNotification.type>>()(z.strictObject({ requestId: z.string(), text: z.string() }))),
};

/** The schema a message's params are checked against, if any. */
export function paramsSchemaFor(method: string, params: unknown): z.ZodType | undefined {
  if (method === 'workspace/executeCommand') {
    const command = typeof params === 'object' && params !== null && 'command' in params ? params.command : undefined;
    return command === ASK_REFINERY_COMMAND ? askRefineryCommand() : undefined;
  }
  return Object.hasOwn(PARAMS_SCHEMAS, method) ? PARAMS_SCHEMAS[method]() : undefined;
}

/** The fields an object at `path` in `schema` may have (none where there is no object). */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType = schema;
  for (let index = 0; ; index++) {
    while (node instanceof z.ZodOptional || node instanceof z.ZodNullable) node = node.unwrap() as z.ZodType;
    if (index === path.length) return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
    const segment = path[index];
    if (node instanceof z.ZodObject && typeof segment === 'string' && Object.hasOwn(node.shape, segment)) node = node.shape[segment] as z.ZodType;
    else if (node instanceof z.ZodArray && typeof segment === 'number') node = node.element as z.ZodType;
    else if (node instanceof z.ZodTuple && typeof segment === 'number' && segment < node.def.items.length) node = node.def.items[segment] as z.ZodType;
    else return [];
  }
}
