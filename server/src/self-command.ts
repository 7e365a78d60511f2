// How to run this `et` again, for a session's turn that goes on in the background. It depends on how
// `et` was started:
//   node …/server/out/cli.js     process.execPath is node, the bundle is the script;
//   a single executable (SEA)    process.execPath is `et` itself, and the embedded main script's
//                                filename is process.execPath (argv[1] may be a bare name from PATH);
//   a launcher script            the riscv64 tarball's node cannot start without its bundled loader, and
//                                the arch-independent bundle runs on the user's node: their launchers
//                                export ET_SELF=<the launcher>, which is what to run.

/** The variable a launcher sets to itself. */
export const SELF_VARIABLE = 'ET_SELF';

export interface Runtime {
  /** process.execPath */
  execPath: string;
  /** process.argv[1] */
  scriptPath: string | undefined;
  /** The running bundle's __filename. */
  mainFilename: string;
  /** process.env[SELF_VARIABLE] */
  launcher: string | undefined;
}

/** The command (executable, then its arguments) that starts this `et`. */
export function selfCommand(runtime: Runtime): string[] {
  if (runtime.launcher) return [runtime.launcher];
  if (runtime.mainFilename === runtime.execPath) return [runtime.execPath];
  return runtime.scriptPath === undefined ? [runtime.execPath] : [runtime.execPath, runtime.scriptPath];
}
