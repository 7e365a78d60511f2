// The product version, stamped into the bundle by esbuild.mjs from package.json.
declare const __ET_VERSION__: string | undefined;

export const VERSION: string = typeof __ET_VERSION__ === 'string' ? __ET_VERSION__ : '0.0.0-dev';
