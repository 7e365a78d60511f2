#!/bin/sh
# et for Linux riscv64: Debian's Node runtime, run through the glibc loader and libraries in lib/, so
# nothing from the host's /lib is used. The folder can live anywhere; `et` can be a symlink to this file.
# ET_SELF tells et how to start itself again (bin/node cannot start without the loader).
# ET_EMULATOR=qemu-riscv64-static runs it on another architecture without binfmt (for tests).
SELF=$(readlink -f -- "$0")
HERE=$(dirname -- "$SELF")
exec 9<"$HERE/share/nodejs"
ET_SELF=$SELF
export ET_SELF
exec ${ET_EMULATOR:-} "$HERE/lib/ld-linux-riscv64-lp64d.so.1" --library-path "$HERE/lib" "$HERE/bin/node" "$HERE/et.cjs" "$@"
