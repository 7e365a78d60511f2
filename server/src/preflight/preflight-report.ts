// The pre-flight verdict: the plan and what each endpoint answered, turned into one line per role and
// one problem per thing to fix (a variable, an endpoint, a model), naming the roles it affects. Pure.
import type { PreflightProblem, PreflightRole } from '../protocol';
import type { PlannedEndpoint, PlannedRole, PreflightPlan } from './preflight-plan';

/** What asking an endpoint for its models gave. */
export type ProbeOutcome = { ok: true; models: string[] } | { ok: false; errorClass: string; message: string };

/** Ollama lists `llama3.2:latest` for what a config calls `llama3.2`. */
function ollamaHas(models: readonly string[], modelId: string): boolean {
  const tagged = modelId.includes(':') ? modelId : `${modelId}:latest`;
  return models.some((model) => model === modelId || model === tagged);
}

function unreachableMessage(endpoint: PlannedEndpoint, outcome: Extract<ProbeOutcome, { ok: false }>): string {
  if (endpoint.type === 'ollama' && outcome.errorClass === 'network' && outcome.message.startsWith('connection refused')) return `Ollama is not running at ${endpoint.label}: start it (ollama serve), or point the roles at another provider`;
  return `provider "${endpoint.provider}" at ${endpoint.label} did not answer: ${outcome.message}`;
}

/** The role's problem as its line shows it, with the problem it belongs to (keyed so roles share it). */
function roleProblem(role: PlannedRole, outcomes: ReadonlyMap<string, ProbeOutcome>): { key: string; problem: Omit<PreflightProblem, 'roles'> } | undefined {
  if (role.problem !== undefined) return { key: `no-model ${role.problem}`, problem: { kind: 'no-model', message: role.problem } };
  if (role.unsetVariables.length > 0) {
    const variable = role.unsetVariables[0];
    return { key: `unset ${variable}`, problem: { kind: 'unset-variable', message: `${variable} is not set: provider "${role.provider}" reads it`, variable, provider: role.provider } };
  }
  const outcome = role.endpoint ? outcomes.get(role.endpoint.id) : undefined;
  if (!role.endpoint || !outcome) return undefined;
  if (!outcome.ok) return { key: `unreachable ${role.endpoint.id}`, problem: { kind: 'unreachable', message: unreachableMessage(role.endpoint, outcome), provider: role.provider } };
  // Only Ollama's list is the truth about what it serves: cloud providers list dated ids for the aliases they accept.
  if (role.providerType === 'ollama' && role.modelId !== undefined && !ollamaHas(outcome.models, role.modelId)) {
    return { key: `missing ${role.endpoint.id} ${role.modelId}`, problem: { kind: 'model-missing', message: `model "${role.modelId}" is not on Ollama at ${role.endpoint.label}: ollama pull ${role.modelId}`, provider: role.provider } };
  }
  return undefined;
}

export function preflightReport(plan: PreflightPlan, outcomes: ReadonlyMap<string, ProbeOutcome>): { roles: PreflightRole[]; problems: PreflightProblem[] } {
  const problems = new Map<string, PreflightProblem>();
  const roles = plan.roles.map((role): PreflightRole => {
    const found = roleProblem(role, outcomes);
    if (found) {
      const shared = problems.get(found.key) ?? { ...found.problem, roles: [] };
      shared.roles.push(role.role);
      problems.set(found.key, shared);
    }
    const outcome = role.endpoint && role.unsetVariables.length === 0 ? outcomes.get(role.endpoint.id) : undefined;
    return {
      role: role.role,
      model: role.model ?? null,
      provider: role.provider ?? null,
      providerType: role.providerType ?? null,
      endpoint: role.endpoint?.label ?? null,
      key: role.key,
      unsetVariables: role.unsetVariables,
      reachable: outcome ? outcome.ok : null,
      problem: found?.problem.message ?? null,
    };
  });
  // Each problem says which roles it stops, once.
  return { roles, problems: [...problems.values()].map((problem) => ({ ...problem, message: `${problem.message} (${problem.roles.join(', ')})` })) };
}
