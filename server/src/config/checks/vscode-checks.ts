// Checks on `type: vscode` providers (VS Code's own language models): no endpoint or key of their own,
// model ids the editor's selector can read, and — for `et config check` outside the editor — which
// roles cannot run there. Pure.
import { parseModelSelector } from '../../providers/vscode/model-selector';
import type { PathIssue } from '../issues';
import { asString, modelReferenceResolver, modelReferenceSites, sectionEntries } from '../references';

/** The fields an HTTP provider has and a vscode one does not use. */
const ENDPOINT_FIELDS = ['base_url', 'api_key', 'auth_type', 'org', 'headers'] as const;

function vscodeProviders(raw: unknown): Set<string> {
  return new Set(sectionEntries(raw, 'providers').flatMap(([name, provider]) => (asString(provider?.type) === 'vscode' ? [name] : [])));
}

/** Every config, wherever it is checked. */
export function checkVscodeProviders(raw: unknown): PathIssue[] {
  const providers = vscodeProviders(raw);
  if (providers.size === 0) return [];
  const endpointIssues = sectionEntries(raw, 'providers').flatMap(([name, provider]): PathIssue[] =>
    !providers.has(name) || !provider
      ? []
      : ENDPOINT_FIELDS.filter((field) => provider[field] !== undefined).map((field) => ({
          severity: 'error',
          code: 'vscode-endpoint',
          message: `providers.${name} has type vscode, which takes no ${field}: VS Code's models are reached through the editor, which signs in for them`,
          path: ['providers', name, field],
          target: 'key',
        })),
  );
  const modelIssues = sectionEntries(raw, 'models').flatMap(([alias, model]): PathIssue[] => {
    const provider = asString(model?.provider);
    const id = asString(model?.model);
    if (provider === undefined || !providers.has(provider) || id === undefined) return [];
    const parsed = parseModelSelector(id);
    return parsed.ok ? [] : [{ severity: 'error', code: 'vscode-model-id', message: `models.${alias}.model: ${parsed.message}`, path: ['models', alias, 'model'], target: 'value' }];
  });
  const resolve = modelReferenceResolver(raw);
  const directIssues = modelReferenceSites(raw).flatMap((site): PathIssue[] => {
    const resolved = resolve(site.name);
    if (resolved?.kind !== 'direct' || !providers.has(resolved.provider)) return [];
    const parsed = parseModelSelector(resolved.modelId);
    return parsed.ok ? [] : [{ severity: 'error', code: 'vscode-model-id', message: parsed.message, path: site.path, target: 'value' }];
  });
  return [...endpointIssues, ...modelIssues, ...directIssues];
}

/** `et config check` in a terminal: each reference to a VS Code model cannot be served there. */
export function checkOutsideEditor(raw: unknown): PathIssue[] {
  const providers = vscodeProviders(raw);
  if (providers.size === 0) return [];
  const resolve = modelReferenceResolver(raw);
  return modelReferenceSites(raw).flatMap((site): PathIssue[] => {
    const provider = resolve(site.name)?.provider;
    if (provider === undefined || !providers.has(provider)) return [];
    const owner = site.ownerPath.join('.');
    return [
      {
        severity: 'warning',
        code: 'vscode-outside-editor',
        message: `${owner} uses ${site.name}, one of VS Code's models (provider ${provider}, type vscode): it runs only inside VS Code with the electrictown extension; et outside the editor falls back to the next model of the chain, or fails without one`,
        path: site.path,
        target: 'value',
      },
    ];
  });
}
