// The project map: what a run's output folder already holds, for the mayor to plan against and the
// workers to write into. buildProjectIndex walks and parses (cached between builds); the rest is pure:
// mentionsIn reads a task, rankFiles orders the files for it, renderMap and mapForFiles cut the map to
// a token budget; definitionsOf and enclosingDefinitions outline one file.
export { buildProjectIndex, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, DEFAULT_TIME_LIMIT_MS } from './build-index';
export { mentionsIn } from './mentions';
export { definitionsOf, enclosingDefinitions, outlineOf } from './outline';
export { rankFiles } from './rank';
export { DEFAULT_MAP_TOKENS, mapForFiles, renderMap } from './render-map';
export type { Definition, Focus, IndexedFile, ProjectIndex, ProjectMapOptions, SkippedFile } from './types';
