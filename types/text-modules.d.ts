// esbuild.mjs loads .yaml files as text (the example config is the starter config).
declare module '*.yaml' {
  const text: string;
  export default text;
}
