// A config that cannot be used; `hint` says where to see why. Its own module, so the CLI can recognise
// it without loading the config parser.
export class ConfigLoadError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ConfigLoadError';
  }
}
