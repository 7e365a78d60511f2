// How every config is parsed, in full or in parts. `logLevel: 'error'` keeps the YAML library from
// printing process warnings (e.g. for a list used as a key): the checks report those as diagnostics.
// `merge` reads `<<: *base` as YAML 1.1 merge keys, which configs use to share settings between entries.
import type { DocumentOptions, ParseOptions, SchemaOptions, ToJSOptions } from 'yaml';

export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions = {
  uniqueKeys: true,
  prettyErrors: false,
  strict: true,
  logLevel: 'error',
  merge: true,
};
