// Checks on `models` and on every model reference: aliases that name real providers, references
// that name real aliases (or `provider/model`), and fallback lists that make sense.
import type { PathIssue } from '../issues';
import {
  asMap,
  asString,
  modelAliases,
  modelReferenceResolver,
  modelReferenceSites,
  providerNames,
  providerReferenceSites,
  sectionEntries,
  type ModelReferenceSite,
  type ResolvedReference,
} from '../references';
import { formatPath } from '../issues';
import { didYouMean } from '../suggest';

function checkProviderReferences(raw: unknown): PathIssue[] {
  const providers = providerNames(raw);
  return providerReferenceSites(raw)
    .filter((site) => site.name.trim() !== '' && !providers.includes(site.name))
    .map((site) => ({
      severity: 'error',
      code: 'unknown-provider',
      message: `model alias "${site.alias}" names provider "${site.name}", which is not under \`providers\`${didYouMean(site.name, providers)}`,
      path: site.path,
      target: 'value',
    }));
}

function checkTokenLimits(raw: unknown): PathIssue[] {
  return sectionEntries(raw, 'models').flatMap(([alias, model]) => {
    const maxTokens = model?.max_tokens;
    const contextWindow = model?.context_window;
    if (typeof maxTokens !== 'number' || typeof contextWindow !== 'number' || maxTokens <= contextWindow) return [];
    return [
      {
        severity: 'warning',
        code: 'max-tokens-exceeds-context',
        message: `models.${alias}.max_tokens (${maxTokens}) is larger than its context_window (${contextWindow})`,
        path: ['models', alias, 'max_tokens'],
        target: 'value',
      } satisfies PathIssue,
    ];
  });
}

function unknownReference(raw: unknown, site: ModelReferenceSite, resolve: Resolve): PathIssue | undefined {
  if (site.name.trim() === '' || resolve(site.name)) return undefined;
  const slash = site.name.indexOf('/');
  const providers = providerNames(raw);
  const message =
    slash > 0 && !providers.includes(site.name.slice(0, slash))
      ? `"${site.name}" is not a model alias, and "${site.name.slice(0, slash)}" is not a provider${didYouMean(site.name.slice(0, slash), providers)}`
      : `unknown model "${site.name}": not an alias under \`models\` nor a provider/model reference${didYouMean(site.name, modelAliases(raw))}`;
  return { severity: 'error', code: 'unknown-model', message, path: site.path, target: 'value' };
}

/** The model a fallback list falls back from: the owner's own, or for roles the default. */
function primaryFor(raw: unknown, site: ModelReferenceSite): string | undefined {
  const owner = asMap(site.ownerPath.reduce<unknown>((value, segment) => asMap(value)?.[segment], raw));
  const own = asString(owner?.model);
  if (own !== undefined || site.ownerPath[0] !== 'roles') return own;
  return asString(asMap(asMap(raw)?.defaults)?.model);
}

type Resolve = (name: string) => ResolvedReference | undefined;

/** `provider/model-id` when two references (an alias, another alias, a direct reference) reach the same model. */
function sharedModel(resolve: Resolve, first: string, second: string): string | undefined {
  const a = resolve(first);
  const b = resolve(second);
  const target = (reference: ResolvedReference | undefined) =>
    reference?.provider === undefined || reference.modelId === undefined || reference.modelId.trim() === '' ? undefined : `${reference.provider}/${reference.modelId}`;
  const model = target(a);
  return model !== undefined && model === target(b) ? model : undefined;
}

function checkFallbackLists(raw: unknown, sites: readonly ModelReferenceSite[], resolve: Resolve): PathIssue[] {
  const issues: PathIssue[] = [];
  const seenByOwner = new Map<string, Set<string>>();
  for (const site of sites) {
    if (site.field !== 'fallbacks') continue;
    const owner = formatPath(site.ownerPath);
    const seen = seenByOwner.get(owner) ?? new Set<string>();
    seenByOwner.set(owner, seen);
    const primary = primaryFor(raw, site);
    const sameModel = primary === undefined || primary === site.name ? undefined : sharedModel(resolve, primary, site.name);
    if (site.name === primary) {
      issues.push({ severity: 'warning', code: 'fallback-is-primary', message: `"${site.name}" is ${owner}'s primary model: falling back to it retries the same model`, path: site.path, target: 'value' });
    } else if (sameModel !== undefined) {
      issues.push({
        severity: 'warning',
        code: 'fallback-is-primary',
        message: `"${site.name}" is the same model as ${owner}'s primary "${primary}" (${sameModel}): falling back to it retries the same model`,
        path: site.path,
        target: 'value',
      });
    } else if (seen.has(site.name)) {
      issues.push({ severity: 'warning', code: 'duplicate-fallback', message: `"${site.name}" appears more than once in ${owner}.fallbacks`, path: site.path, target: 'value' });
    }
    seen.add(site.name);
  }
  return issues;
}

export function checkModels(raw: unknown): PathIssue[] {
  const sites = modelReferenceSites(raw);
  const resolve = modelReferenceResolver(raw);
  return [
    ...checkProviderReferences(raw),
    ...checkTokenLimits(raw),
    ...sites.flatMap((site) => unknownReference(raw, site, resolve) ?? []),
    ...checkFallbackLists(raw, sites, resolve),
  ];
}
