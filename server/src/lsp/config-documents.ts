// The analysis of each open config, computed at most once per document version.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeConfig, type ConfigAnalysis } from '../config/analyze';
import type { Environment } from '../config/env';
import { IncrementalYamlParser } from '../config/incremental-yaml';
import { LineIndex } from '../config/line-index';

export interface AnalyzedDocument {
  version: number;
  analysis: ConfigAnalysis;
  lines: LineIndex;
}

export class ConfigDocuments {
  private readonly analyzed = new Map<string, AnalyzedDocument>();
  /** The last value that evaluated, so completion still knows the aliases while a line is half-typed. */
  private readonly lastValues = new Map<string, unknown>();
  private readonly parsers = new Map<string, IncrementalYamlParser>();

  constructor(private readonly environment: () => Environment) {}

  get(document: TextDocument): AnalyzedDocument {
    const cached = this.analyzed.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    let parser = this.parsers.get(document.uri);
    if (!parser) {
      parser = new IncrementalYamlParser();
      this.parsers.set(document.uri, parser);
    }
    const entry = { version: document.version, analysis: analyzeConfig(text, this.environment(), parser), lines: new LineIndex(text) };
    this.analyzed.set(document.uri, entry);
    if (entry.analysis.source.value !== undefined && entry.analysis.source.value !== null) {
      this.lastValues.set(document.uri, entry.analysis.source.value);
    }
    return entry;
  }

  lastValue(uri: string): unknown {
    return this.lastValues.get(uri);
  }

  forget(uri: string): void {
    this.analyzed.delete(uri);
    this.lastValues.delete(uri);
    this.parsers.delete(uri);
  }
}
