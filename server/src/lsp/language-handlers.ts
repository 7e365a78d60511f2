// LSP completion, hover and definition for configs: position ↔ offset conversion around the pure
// language functions.
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Definition,
  type Hover,
  type TextDocumentPositionParams,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Environment } from '../config/env';
import { completionsAt, type CompletionKind } from '../language/completion';
import { definitionAt, hoverAt } from '../language/navigation';
import type { ConfigDocuments } from './config-documents';

const ITEM_KINDS: Record<CompletionKind, CompletionItemKind> = {
  key: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  alias: CompletionItemKind.Reference,
  provider: CompletionItemKind.Module,
  role: CompletionItemKind.Class,
  snippet: CompletionItemKind.Snippet,
};

export class LanguageHandlers {
  constructor(
    private readonly documents: { get(uri: string): TextDocument | undefined },
    private readonly configs: ConfigDocuments,
    private readonly environment: () => Environment,
  ) {}

  completion(params: TextDocumentPositionParams): CompletionItem[] {
    const document = this.documents.get(params.textDocument.uri);
    if (!document) return [];
    const { analysis, lines } = this.configs.get(document);
    const raw = analysis.source.value ?? this.configs.lastValue(document.uri);
    const offset = lines.offsetAt(params.position);
    return completionsAt(analysis.source.text, offset, raw).map((entry, index) => ({
      label: entry.label,
      kind: ITEM_KINDS[entry.kind],
      detail: entry.detail,
      documentation: entry.documentation ? { kind: MarkupKind.Markdown, value: entry.documentation } : undefined,
      insertTextFormat: entry.isSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: { start: lines.positionAt(entry.replaceStart), end: lines.positionAt(entry.replaceEnd) }, newText: entry.insertText },
      sortText: String(index).padStart(4, '0'),
    }));
  }

  hover(params: TextDocumentPositionParams): Hover | null {
    const document = this.documents.get(params.textDocument.uri);
    if (!document) return null;
    const { analysis, lines } = this.configs.get(document);
    const result = hoverAt(analysis, lines.offsetAt(params.position), this.environment());
    if (!result) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: result.markdown },
      range: { start: lines.positionAt(result.start), end: lines.positionAt(result.end) },
    };
  }

  definition(params: TextDocumentPositionParams): Definition | null {
    const document = this.documents.get(params.textDocument.uri);
    if (!document) return null;
    const { analysis, lines } = this.configs.get(document);
    const target = definitionAt(analysis, lines.offsetAt(params.position));
    if (!target) return null;
    return { uri: document.uri, range: { start: lines.positionAt(target.start), end: lines.positionAt(target.end) } };
  }
}
