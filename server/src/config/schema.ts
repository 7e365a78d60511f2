// The electrictown.yaml schema: the single source of the config's types, of the JSON schema in
// schemas/, and of the key names and descriptions that completion and hover offer.
// Keys follow electrictown's own so existing configs load unchanged.
import * as z from 'zod';

export const PROVIDER_TYPES = ['openai', 'anthropic', 'gemini', 'ollama', 'openai-compatible', 'vscode'] as const;
export const AUTH_TYPES = ['bearer', 'basic', 'none'] as const;
export const BUILT_IN_ROLES = ['mayor', 'polecat', 'witness', 'refinery'] as const;
/** Role names electrictown's code reads, accepted as aliases of ours. */
export const ROLE_ALIASES: ReadonlyMap<string, (typeof BUILT_IN_ROLES)[number]> = new Map([
  ['reviewer', 'witness'],
  ['tester', 'refinery'],
]);

export type ProviderType = (typeof PROVIDER_TYPES)[number];
export type AuthType = (typeof AUTH_TYPES)[number];

// Bounds catch typos (an extra zero, a negative sign) without second-guessing real models.
const MAX_TOKENS_LIMIT = 10_000_000;
const CONTEXT_WINDOW_LIMIT = 100_000_000;
const PRICE_LIMIT_USD = 10_000;
const WORKERS_LIMIT = 256;
const ATTEMPTS_LIMIT = 20;
const MAX_WAIT_LIMIT_SECONDS = 3600;
const CONCURRENCY_LIMIT = 1024;

const modelReference = z
  .string()
  .regex(/\S/)
  .describe('A model alias from `models`, or a `provider/model-id` reference.');
const modelReferenceList = z
  .array(modelReference)
  .describe('Model aliases (or `provider/model-id` references), tried in order.');
const maxTokens = z
  .number()
  .int()
  .min(1)
  .max(MAX_TOKENS_LIMIT)
  .describe('Upper bound on output tokens per request.');
const temperature = z.number().min(0).max(2).describe('Sampling temperature, 0 to 2.');
const usdPerMillionTokens = z.number().min(0).max(PRICE_LIMIT_USD);
/**
 * A name the user chooses (a provider, an alias, a role, a header). JavaScript's reserved names are
 * reported on the YAML itself (reserved-names.ts) and never reach this schema; the pattern is here so
 * the JSON schema refuses them too.
 */
const entryName = z.string().regex(/^(?!(?:__proto__|constructor|prototype)$)/);
/** A section left empty (`roles:` with every entry commented out) reads as absent. */
const emptyMeansAbsent = <T extends z.ZodType>(schema: T) => schema.nullable().transform((value) => value ?? undefined);

const seconds = (what: string, fallback: number) =>
  z
    .number()
    .positive()
    .max(3600)
    .optional()
    .describe(`${what}, in seconds (default ${fallback}). Past it the attempt fails as \`timeout\` and is retried or falls back.`);

export const timeoutsSchema = z
  .strictObject({
    connect: seconds('Time to open a connection', 10),
    first_byte: seconds('Time from sending a request to the first byte of the answer (a slow local model may need more)', 120),
    idle: seconds('Longest silence inside a streaming answer', 60),
  })
  .describe('How long to wait for this provider before calling an attempt a timeout.');

export const retrySchema = z
  .strictObject({
    attempts: z
      .number()
      .int()
      .min(1)
      .max(ATTEMPTS_LIMIT)
      .optional()
      .describe('Attempts on one model before the next in the chain is tried, the first included (default 3; an overloaded model gets at most 2).'),
    max_wait_seconds: z
      .number()
      .min(0)
      .max(MAX_WAIT_LIMIT_SECONDS)
      .optional()
      .describe('The longest wait a provider may ask for (`retry-after`) before a retry, in seconds (default 30); a longer one moves to the next model. A rate-limited model whose rest ends within it is also waited for when no other model is ready.'),
    retry_timeouts: z
      .boolean()
      .optional()
      .describe('Retry a model that timed out even when another is ready (default false: a timed-out model is asked again only when it is the last in the chain).'),
  })
  .describe('When a failed request is tried again on the same model.');

export const providerSchema = z
  .strictObject({
    type: z
      .enum(PROVIDER_TYPES)
      .describe(
        'Wire protocol: `openai`, `anthropic`, `gemini`, `ollama`, `openai-compatible` (vLLM, LM Studio, OpenRouter, Groq, Ollama `/v1`: the OpenAI chat format with `max_tokens`; needs `base_url`), or `vscode`: VS Code\'s own language models (Copilot\'s, or any extension\'s chat models), named `VENDOR/FAMILY` like `copilot/gpt-4o`; no `base_url` or `api_key`. Works only inside VS Code with the electrictown extension: `et` in a terminal cannot reach them, and a chain moves on to its next model.',
      ),
    base_url: z
      .string()
      .optional()
      .describe(
        'Endpoint. OpenAI and openai-compatible: ends in `/v1` (used as written); Anthropic: the host; Gemini: ends in `/v1beta`; Ollama: the host root. `$VAR` and `${VAR}` are read from the environment.',
      ),
    api_key: z
      .string()
      .optional()
      .describe('API key, normally `$SOME_ENV_VAR` so the key stays out of the file. For `auth_type: basic`, `user:pass`.'),
    auth_type: z
      .enum([...AUTH_TYPES, ''])
      .transform((value) => (value === '' ? undefined : value))
      .optional()
      .describe('`bearer` (default when a key is set), `basic` (key is `user:pass`) or `none`; empty means the default.'),
    org: z.string().optional().describe('Organisation id (OpenAI `OpenAI-Organization`).'),
    headers: z
      .record(entryName, z.string())
      .optional()
      .describe('Extra HTTP headers sent with every request; values may use `$VAR`.'),
    timeouts: timeoutsSchema.optional(),
    retry: retrySchema.optional().describe('Retries for this provider\'s models, over `defaults.retry`.'),
  })
  .describe('A provider endpoint.');

export const pricingSchema = z
  .strictObject({
    input: usdPerMillionTokens.describe('USD per 1M input tokens.'),
    output: usdPerMillionTokens.describe('USD per 1M output tokens.'),
    cached_input: usdPerMillionTokens.optional().describe('USD per 1M cached input tokens (the older name of `cache_read`).'),
    cache_read: usdPerMillionTokens
      .optional()
      .describe("USD per 1M input tokens read from the provider's prompt cache. Default: input × the built-in price list's ratio for the model, else × 0.1 (Anthropic), × 0.5 (OpenAI), × 0.25 (Gemini)."),
    cache_write: usdPerMillionTokens
      .optional()
      .describe("USD per 1M input tokens written to the provider's prompt cache. Default: input × 1.25 (Anthropic); the input price elsewhere (writes are not billed apart)."),
  })
  .describe('Prices in USD per 1M tokens; used by the cost ledger. Unpriced models are flagged, never counted as $0.');

export const modelSchema = z
  .strictObject({
    provider: z.string().regex(/\S/).describe('A key under `providers`.'),
    model: z.string().regex(/\S/).describe("The provider's model id, e.g. `claude-sonnet-4-5` or `llama3.2`."),
    context_window: z
      .number()
      .int()
      .min(1)
      .max(CONTEXT_WINDOW_LIMIT)
      .optional()
      .describe('Context window in tokens; used for overflow checks and Ollama `num_ctx`.'),
    max_tokens: maxTokens.optional(),
    pricing: pricingSchema.optional(),
    max_concurrency: z
      .number()
      .int()
      .min(1)
      .max(CONCURRENCY_LIMIT)
      .optional()
      .describe('Most requests sent to this model at once (default: no limit; 1 for a model in a `pool`). Below it the limit adapts: halved on a rate limit, raised by one per round of successes.'),
  })
  .describe('A model alias: which provider serves it, under which model id.');

export const roleSchema = z
  .strictObject({
    model: modelReference.optional().describe('Primary model alias for this role.'),
    fallbacks: modelReferenceList.optional().describe('Tried in order on rate limits, timeouts, 5xx and context overflow.'),
    pool: modelReferenceList.optional().describe('Models used round-robin across parallel workers.'),
    max_tokens: maxTokens.optional(),
    temperature: temperature.optional(),
    system_prompt: z.string().optional().describe("Replaces the role's built-in system prompt."),
  })
  .describe('Which models fill a role.');

export const defaultsSchema = z
  .strictObject({
    model: modelReference.optional().describe('Model for any role without its own `model`.'),
    fallbacks: modelReferenceList.optional().describe('Fallbacks for roles without their own.'),
    max_tokens: maxTokens.optional(),
    temperature: temperature.optional(),
    log_dir: z.string().regex(/\S/).optional().describe('Where run folders and the cost ledger are written.'),
    workers: z
      .number()
      .int()
      .min(1)
      .max(WORKERS_LIMIT)
      .optional()
      .describe('Parallel polecat workers (default 8).'),
    budget_usd: z
      .number()
      .positive()
      .max(PRICE_LIMIT_USD)
      .optional()
      .describe('Most a run may spend, in USD; past it no new model calls are made and `et run` exits 4. `--budget` overrides it.'),
    build_command: z
      .string()
      .regex(/\S/)
      .optional()
      .describe('The command that builds a generated project with `--iterate`, run without a shell (e.g. `make all`); by default it is detected: `go build ./...`, `npm run build`, `cargo build`, `make`, …'),
    gates: z
      .array(z.string().regex(/\S/))
      .max(50)
      .optional()
      .describe('The gates `--iterate` runs in order, each `[setup|build|test|lint:]COMMAND` without a shell (e.g. `test:go test -race ./...`); by default they are detected: build, lint and tests for Go, Node, Rust, Python and C/C++. `--gate` overrides them.'),
    retry: retrySchema.optional(),
    mcp_allow_outside: z
      .boolean()
      .optional()
      .describe("`et mcp`: let an agent's `run` write (and `review` read) outside the server's working directory and the client's roots (default false: refused)."),
  })
  .describe('Defaults for every role.');

export const specialistSchema = z
  .strictObject({
    model: modelReference.optional().describe('Model alias for this specialist.'),
    description: z.string().optional().describe('What the specialist is for; the mayor reads it when assigning subtasks.'),
    pool: modelReferenceList.optional(),
    fallbacks: modelReferenceList.optional(),
  })
  .describe('A named worker the mayor can assign subtasks to with `[specialist: name]`.');

export const configSchema = z
  .strictObject({
    providers: z
      .record(entryName, providerSchema)
      // Enforced by checks/provider-checks.ts (`no-providers`); stated here for the JSON schema.
      .meta({ minProperties: 1 })
      .describe('Provider endpoints, by a name of your choice.'),
    models: emptyMeansAbsent(z.record(entryName, modelSchema)).optional().describe('Model aliases, by a name of your choice.'),
    roles: emptyMeansAbsent(z.record(entryName, roleSchema))
      .optional()
      .describe('`mayor`, `polecat`, `witness`, `refinery` and custom roles (`reviewer`/`tester` are read as `witness`/`refinery`).'),
    defaults: emptyMeansAbsent(defaultsSchema).optional().describe('Defaults for every role.'),
    specialists: emptyMeansAbsent(z.record(entryName, specialistSchema)).optional().describe('Named specialist workers.'),
  })
  .describe('electrictown configuration');

export type ElectrictownConfig = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type RoleConfig = z.infer<typeof roleSchema>;
export type RetryConfig = z.infer<typeof retrySchema>;
