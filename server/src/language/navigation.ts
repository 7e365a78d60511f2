// Hover and go-to-definition on a config: what the thing under the cursor is, and where it is defined.
import type { ConfigAnalysis } from '../config/analyze';
import type { Environment } from '../config/env';
import { nodeAtOffset } from '../config/node-at-offset';
import { modelReferenceSites, providerNames, resolveModelReference } from '../config/references';
import { fieldAt } from '../config/schema-walk';
import { locate } from '../config/yaml-source';
import { describeAlias, describeProvider, describeRole } from './describe';

export interface OffsetRange {
  start: number;
  end: number;
}

export interface HoverResult extends OffsetRange {
  markdown: string;
}

type Symbol = { kind: 'alias' | 'provider' | 'role'; name: string } | { kind: 'field'; markdown: string };

function isModelReferencePath(raw: unknown, path: readonly (string | number)[]): boolean {
  const joined = path.join('\u0000');
  return modelReferenceSites(raw).some((site) => site.path.join('\u0000') === joined);
}

function symbolAt(analysis: ConfigAnalysis, offset: number): (Symbol & OffsetRange) | undefined {
  const document = analysis.source.document;
  if (!document) return undefined;
  const found = nodeAtOffset(document, offset);
  if (!found) return undefined;
  const raw = analysis.source.value;
  const { path, target, start, end, value } = found;
  const [section, name] = path;
  if (target === 'key' && path.length === 2 && typeof name === 'string') {
    if (section === 'models') return { kind: 'alias', name, start, end };
    if (section === 'providers') return { kind: 'provider', name, start, end };
    if (section === 'roles') return { kind: 'role', name, start, end };
  }
  if (target === 'value') {
    const text = typeof value === 'string' ? value : String(value);
    if (section === 'models' && path[2] === 'provider' && path.length === 3) return { kind: 'provider', name: text, start, end };
    if (isModelReferencePath(raw, path)) {
      const resolved = resolveModelReference(raw, text);
      if (resolved?.kind === 'direct') return { kind: 'provider', name: resolved.provider, start, end };
      return { kind: 'alias', name: text, start, end };
    }
  }
  if (target === 'key') {
    const field = fieldAt(path);
    if (field?.description) return { kind: 'field', markdown: `**${field.name}** — ${field.description}`, start, end };
  }
  return undefined;
}

export function hoverAt(analysis: ConfigAnalysis, offset: number, environment: Environment): HoverResult | undefined {
  const symbol = symbolAt(analysis, offset);
  if (!symbol) return undefined;
  const raw = analysis.source.value;
  const markdown =
    symbol.kind === 'field'
      ? symbol.markdown
      : symbol.kind === 'alias'
        ? describeAlias(raw, symbol.name)
        : symbol.kind === 'provider'
          ? describeProvider(raw, symbol.name, environment)
          : describeRole(raw, symbol.name);
  return markdown === undefined ? undefined : { markdown, start: symbol.start, end: symbol.end };
}

/** Where the alias or provider under the cursor is defined (its key). */
export function definitionAt(analysis: ConfigAnalysis, offset: number): OffsetRange | undefined {
  const symbol = symbolAt(analysis, offset);
  if (!symbol || (symbol.kind !== 'alias' && symbol.kind !== 'provider')) return undefined;
  const section = symbol.kind === 'alias' ? 'models' : 'providers';
  const raw = analysis.source.value;
  const defined = symbol.kind === 'alias' ? resolveModelReference(raw, symbol.name)?.kind === 'alias' : providerNames(raw).includes(symbol.name);
  if (!defined) return undefined;
  const [start, end] = locate(analysis.source, [section, symbol.name], 'key');
  return { start, end };
}
