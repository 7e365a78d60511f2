// A `type: vscode` model id → the selector `vscode.lm.selectChatModels` takes (vendor, family, id,
// version, all optional there). Pure. The grammar:
//   VENDOR/FAMILY            copilot/gpt-4o          → { vendor: 'copilot', family: 'gpt-4o' }
//   VENDOR/FAMILY@VERSION    copilot/gpt-4o@2024-11-20 → … version: '2024-11-20'
//   id:ID                    id:gpt-4o-mini          → { id: 'gpt-4o-mini' }
// A vendor alone would match whatever that vendor lists first, so it is refused: say which model.
import type { LanguageModelSelector } from '../../protocol';

export type SelectorParse = { ok: true; selector: LanguageModelSelector } | { ok: false; message: string };

const GRAMMAR = 'VENDOR/FAMILY (e.g. copilot/gpt-4o), VENDOR/FAMILY@VERSION, or id:ID';

export function parseModelSelector(modelId: string): SelectorParse {
  const text = modelId.trim();
  if (text.startsWith('id:')) {
    const id = text.slice('id:'.length).trim();
    return id === '' ? { ok: false, message: `"${text}" names no id: write ${GRAMMAR}` } : { ok: true, selector: { id } };
  }
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) return { ok: false, message: `"${text}" is not a VS Code model: write ${GRAMMAR}` };
  const vendor = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  const at = rest.lastIndexOf('@');
  if (at === 0 || at === rest.length - 1) return { ok: false, message: `"${text}" has an empty family or version: write ${GRAMMAR}` };
  return { ok: true, selector: at < 0 ? { vendor, family: rest } : { vendor, family: rest.slice(0, at), version: rest.slice(at + 1) } };
}

/** The selector in words, for messages: `vendor copilot, family gpt-4o`. */
export function describeSelector(selector: LanguageModelSelector): string {
  return (['vendor', 'family', 'version', 'id'] as const).flatMap((field) => (selector[field] === undefined ? [] : [`${field} ${selector[field]}`])).join(', ');
}
