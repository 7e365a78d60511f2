#!/bin/sh
# et on your own Node.js >= 20.11 (any architecture; built for ppc64 big-endian, where we have no Node
# runtime to ship): NODE=/path/to/node, or the `node` on PATH. `et` can be a symlink to this file.
# ET_SELF tells et how to start itself again. ET_EMULATOR runs NODE under qemu (for tests).
SELF=$(readlink -f -- "$0")
HERE=$(dirname -- "$SELF")
NODE=${NODE:-node}
if [ -z "${ET_EMULATOR:-}" ] && ! command -v "$NODE" >/dev/null 2>&1; then
  echo "et: no Node.js found: install Node.js >= 20.11, or set NODE=/path/to/node" >&2
  exit 127
fi
ET_SELF=$SELF
export ET_SELF
exec ${ET_EMULATOR:-} "$NODE" "$HERE/et.cjs" "$@"
