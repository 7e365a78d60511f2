// `et models`: every provider asked at once; each answers with its models or with its error.
import type { Environment } from '../config/env';
import type { ProviderModels } from '../protocol';
import { providerSettings } from '../providers/create-model';
import { listModels } from '../providers/list-models';
import { ProviderError } from '../providers/provider-error';
import { UNLISTED_REASON } from '../providers/vscode/client-language-models';
import { loadConfig } from '../config/load-config';

export type { ProviderModels };

export async function listAllModels(file: string, environment: Environment): Promise<ProviderModels[]> {
  const config = await loadConfig(file, environment);
  return Promise.all(
    Object.entries(config.providers).map(async ([provider, { type }]): Promise<ProviderModels> => {
      if (type === 'vscode') return { provider, type, error: { class: 'bad_request', message: UNLISTED_REASON } };
      try {
        const models = await listModels(providerSettings(config, environment, provider), AbortSignal.timeout(30_000));
        return { provider, type, models };
      } catch (error) {
        if (ProviderError.isInstance(error)) return { provider, type, error: { class: error.errorClass, message: error.classification.message } };
        const reason = error instanceof Error && error.name === 'TimeoutError' ? 'no answer within 30 s' : String(error);
        return { provider, type, error: { class: 'timeout', message: reason } };
      }
    }),
  );
}

export function formatModelTable(reports: readonly ProviderModels[]): string {
  const rows = reports.flatMap((report) => ('models' in report ? report.models.map((model) => [report.provider, report.type, model]) : [[report.provider, report.type, `error (${report.error.class}): ${report.error.message}`]]));
  const widths = [0, 1].map((column) => Math.max(column === 0 ? 8 : 4, ...rows.map((row) => row[column].length)));
  const line = (row: string[]) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}\n`;
  return line(['PROVIDER', 'TYPE', 'MODEL']) + rows.map(line).join('');
}
