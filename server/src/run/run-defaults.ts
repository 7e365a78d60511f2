// The run flags' defaults, in a module of their own so `et run --help` can show them without loading
// the schema library.
export const RUN_DEFAULTS = {
  role: 'mayor',
  workers: 8,
  maxSubtasks: 10,
  timeoutMinutes: 45,
  guardrailRetries: 1,
  guardrailThreshold: 6,
  maxIterations: 3,
  buildTimeoutMinutes: 10,
  // aider sends 1k-8k tokens of map; 4k is 3 % of a 128k context, leaving the rest for files and answers.
  mapTokens: 4096,
} as const;
