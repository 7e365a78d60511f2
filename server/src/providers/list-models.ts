// Each provider's model list (wire-formats §1.5, §2.5, §3.7, §4.5), following pagination, with
// failures classified like any other call.
import { anthropicHeaders } from './anthropic/anthropic-model';
import { geminiBase } from './gemini/gemini-api';
import { geminiHeaders } from './gemini/gemini-model';
import { endpointFor, parseJsonBody, readText, responseError, send, type ProviderSettings } from './http';
import { authorizationHeader } from './auth-headers';
import { openAiHeaders } from './openai/openai-model';
import type { ProviderType } from '../config/schema';
import { ProviderError } from './provider-error';
import { UNLISTED_REASON } from './vscode/client-language-models';

type Settings = ProviderSettings & { type: ProviderType; org: string | undefined };

/** Enough pages for any real account; a server that pages forever is cut off here. */
const MAX_PAGES = 50;

function host(settings: Settings): string {
  return settings.baseUrl.replace(/\/+$/, '');
}

export async function listModels(settings: Settings, signal: AbortSignal): Promise<string[]> {
  if (settings.type === 'vscode') throw new ProviderError(settings.provider, 'vscode', { errorClass: 'bad_request', action: 'fail', message: UNLISTED_REASON });
  const endpoint = endpointFor(settings.provider, settings.type, settings.apiKey, settings.headers, settings.timeouts, settings.baseUrl);
  const get = async (url: string, headers: Record<string, string>): Promise<Record<string, unknown>> => {
    const response = await send(endpoint, 'GET', url, headers, undefined, signal);
    if (response.status !== 200) throw await responseError(endpoint, response, signal);
    return (parseJsonBody(endpoint, await readText(endpoint, response, signal), response.status) ?? {}) as Record<string, unknown>;
  };
  const strings = (items: unknown, key: string) => (Array.isArray(items) ? items.flatMap((item) => (typeof item?.[key] === 'string' ? [item[key] as string] : [])) : []);
  switch (settings.type) {
    case 'openai':
    case 'openai-compatible':
      return strings((await get(`${host(settings)}/models`, openAiHeaders(settings))).data, 'id');
    case 'ollama':
      return strings((await get(`${host(settings)}/api/tags`, { ...settings.headers, ...authorizationHeader(settings.authType, settings.apiKey) })).models, 'name');
    case 'anthropic': {
      const ids: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const body = await get(`${host(settings)}/v1/models?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ''}`, anthropicHeaders(settings));
        ids.push(...strings(body.data, 'id'));
        if (body.has_more !== true || typeof body.last_id !== 'string') break;
        after = body.last_id;
      }
      return ids;
    }
    case 'gemini': {
      const ids: string[] = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const body = await get(`${geminiBase(settings.baseUrl)}/models?pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`, geminiHeaders(settings));
        const models = Array.isArray(body.models) ? (body.models as Record<string, unknown>[]) : [];
        // Only models that can answer a prompt; the list also holds embedding models.
        ids.push(...models.filter((model) => Array.isArray(model.supportedGenerationMethods) && model.supportedGenerationMethods.includes('generateContent')).flatMap((model) => (typeof model.name === 'string' ? [model.name.replace(/^models\//, '')] : [])));
        if (typeof body.nextPageToken !== 'string' || body.nextPageToken === '') break;
        token = body.nextPageToken;
      }
      return ids;
    }
  }
}
