#!/usr/bin/env bash
# npm run build:standalone — a standalone `et` for five Linux architectures, in dist/:
#   et-linux-amd64.xz, et-linux-arm64.xz, et-linux-ppc64le.xz   Node single executables (SEA) made from
#                                 the official Node binaries the npm registry carries (node-linux-<arch>)
#   et-linux-riscv64.tar.xz       Debian trixie's Node runtime with its libraries, loader and a launcher
#   et-noarch.tar.xz              the bundle and a launcher for the user's own Node (ppc64 big-endian:
#                                 no Node runtime for it can be had here)
#   SHA256SUMS
# The recipe, its measurements and pitfalls: ../shared/standalone/README.md. Needs the npm registry and
# deb.debian.org; installs llvm (llvm-strip) and xz-utils with apt when they are missing.
# Downloads and the riscv64 runtime are cached in $ET_STANDALONE_CACHE (default
# ~/.cache/electrictown-standalone), so a rebuild only redoes the bundle, the injection and xz.
# ARCHES="amd64 riscv64" builds a subset.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
OUT=$ROOT/dist
CACHE=${ET_STANDALONE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/electrictown-standalone}
ARCHES=${ARCHES:-"amd64 arm64 ppc64le riscv64 ppc64"}
# node-linux-ppc64le has no 20.x after 20.11.0: the oldest runtime we ship, hence engines.node >=20.11.0.
NODE_VERSION_amd64=20.20.2
NODE_VERSION_arm64=20.20.2
NODE_VERSION_ppc64le=20.11.0
RISCV64_SUITE=trixie
SEA_FUSE=NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2
BUNDLE=$ROOT/out/standalone/et.cjs

log() { printf '\n== %s\n' "$*" >&2; }
fail() { echo "build-standalone: $*" >&2; exit 1; }

install_host_tools() {
  local packages=""
  command -v llvm-strip >/dev/null || packages="$packages llvm"
  command -v xz >/dev/null || packages="$packages xz-utils"
  command -v perl >/dev/null || packages="$packages perl"
  [ -z "$packages" ] && return
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages
}

# npm_node ARCH VERSION: prints the path of the official node binary from the npm package node-linux-ARCH.
npm_node() {
  local directory="$CACHE/node-linux-$1-$2"
  if [ ! -x "$directory/package/bin/node" ]; then
    rm -rf "$directory" && mkdir -p "$directory"
    (cd "$directory" && npm pack --silent "node-linux-$1@$2" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz) ||
      fail "cannot fetch node-linux-$1@$2 from the npm registry"
  fi
  echo "$directory/package/bin/node"
}

# xz with fixed settings, so the same input gives the same bytes; renamed into place when complete.
compress() { xz -6 -T0 -c "$1" > "$2.partial" && mv "$2.partial" "$2"; }

# tar with fixed order, times and owners, for the same reason.
pack() { tar -C "$1" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - "$2" | xz -6 -T0 > "$3.partial" && mv "$3.partial" "$3"; }

# ---- amd64, arm64, ppc64le: Node SEA -------------------------------------------------------------------
build_sea() {
  local arch=$1 npm_arch=$2 version=$3 stage="$CACHE/sea-$1"
  log "$arch: Node single executable (node-linux-$npm_arch@$version)"
  rm -rf "$stage" && mkdir -p "$stage"
  cp "$BUNDLE" "$stage/et.cjs"
  # No code cache or snapshot: the blob then holds no machine code, so an x64 node of the same version
  # makes it for any little-endian 64-bit target (verified byte-identical in the recipe).
  cat > "$stage/sea-config.json" <<'EOF'
{ "main": "et.cjs", "output": "sea.blob", "disableExperimentalSEAWarning": true, "useSnapshot": false, "useCodeCache": false }
EOF
  local generator target
  generator=$(npm_node x64 "$version")
  target=$(npm_node "$npm_arch" "$version")
  (cd "$stage" && "$generator" --experimental-sea-config sea-config.json >/dev/null)
  cp "$target" "$stage/et" && chmod u+w "$stage/et"
  # npm's node binaries are unstripped: strip before injecting (about 12 MB), never after.
  llvm-strip --strip-all "$stage/et"
  node_modules/.bin/postject "$stage/et" NODE_SEA_BLOB "$stage/sea.blob" --sentinel-fuse "$SEA_FUSE" 2>&1 |
    grep -vE "Can't find string offset|^\s*$" >&2 || true
  chmod 755 "$stage/et"
  compress "$stage/et" "$OUT/et-linux-$arch.xz"
}

# ---- riscv64: Debian trixie's nodejs, its libraries and loader -----------------------------------------
apt_config() { # private apt state: the host's dpkg architectures and sources stay untouched
  local state="$CACHE/apt-$1"
  mkdir -p "$state/lists/partial" "$state/archives/partial" && touch "$state/status"
  echo "deb [arch=$1 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $2 main" > "$state/sources.list"
  cat > "$state/apt.conf" <<EOF
Dir::Etc::SourceList "$state/sources.list"; Dir::Etc::SourceParts "/nonexistent";
Dir::State::Lists "$state/lists"; Dir::State::status "$state/status";
Dir::Cache "$state"; Dir::Cache::archives "$state/archives";
APT::Architecture "$1"; APT::Architectures { "$1"; }; APT::Sandbox::User "root";
EOF
  echo "$state/apt.conf"
}

# The runtime tree (bin/node, lib/, share/nodejs/), made once and cached.
RISCV64_RUNTIME=$CACHE/riscv64-runtime
riscv64_runtime() {
  local runtime=$RISCV64_RUNTIME triplet=riscv64-linux-gnu loader=ld-linux-riscv64-lp64d.so.1
  [ -e "$runtime/.complete" ] && return
  local config debs="$CACHE/debs-riscv64" root="$CACHE/root-riscv64"
  config=$(apt_config riscv64 "$RISCV64_SUITE")
  APT_CONFIG=$config apt-get update -qq || fail "apt-get update for Debian $RISCV64_SUITE riscv64 failed"
  rm -rf "$debs" "$root" "$runtime" && mkdir -p "$debs" "$root" "$runtime/bin" "$runtime/lib" "$runtime/share/nodejs"
  # nodejs, libnode's Depends, libzstd1 (libssl3t64's), and the 4 packages whose JS files Debian's node
  # loads at start-up ("externalized builtins").
  (cd "$debs" && APT_CONFIG=$config apt-get download -qq \
    nodejs:riscv64 libnode115:riscv64 libc6:riscv64 libgcc-s1:riscv64 libstdc++6:riscv64 \
    libbrotli1:riscv64 libcares2:riscv64 libicu76:riscv64 libnghttp2-14:riscv64 libssl3t64:riscv64 \
    libuv1t64:riscv64 zlib1g:riscv64 libzstd1:riscv64 \
    node-acorn node-cjs-module-lexer node-minimatch node-undici 2>&1 | grep -v unsandboxed >&2) || true
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
  [ -e "$root/usr/bin/node" ] || fail "Debian $RISCV64_SUITE riscv64 nodejs did not download"
  local libraries="$root/usr/lib/$triplet" todo seen=" " file name
  cp "$root/usr/bin/node" "$runtime/bin/node"
  # The NEEDED closure of bin/node, into lib/.
  todo="$runtime/bin/node"
  while [ -n "$todo" ]; do
    set -- $todo; file=$1; shift; todo="$*"
    for name in $(readelf -d "$file" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
      case "$seen" in *" $name "*) continue ;; esac
      seen="$seen$name "
      [ -e "$libraries/$name" ] || fail "riscv64: $name is in no downloaded package; add its package"
      cp -L "$libraries/$name" "$runtime/lib/$name"; todo="$todo $runtime/lib/$name"
    done
  done
  [ -e "$runtime/lib/$loader" ] || cp -L "$libraries/$loader" "$runtime/lib/$loader"
  # Debian's libnode reads acorn, cjs-module-lexer, minimatch and undici from /usr/share/nodejs/… at
  # start-up and aborts without them. Ship them, and rewrite that compiled-in prefix (18 bytes) to
  # /proc/self/fd/9/// (same length), an fd the launcher opens on share/nodejs/: the tree relocates.
  for file in $(grep -a -o '/usr/share/nodejs/[A-Za-z0-9_./-]*\.js' "$runtime/lib/libnode.so.115" | sort -u); do
    mkdir -p "$runtime/share/nodejs/$(dirname "${file#/usr/share/nodejs/}")"
    cp "$root$file" "$runtime/share/nodejs/${file#/usr/share/nodejs/}"
  done
  local count
  count=$(perl -0777 -pi -e '$c = s#/usr/share/nodejs/#/proc/self/fd/9///#g; END { print STDERR $c }' "$runtime/lib/libnode.so.115" 2>&1)
  [ "$count" -ge 1 ] || fail "riscv64: patching libnode.so.115's /usr/share/nodejs/ paths failed"
  touch "$runtime/.complete"
}

build_riscv64() {
  log "riscv64: relocatable tarball (Debian $RISCV64_SUITE nodejs)"
  local runtime=$RISCV64_RUNTIME package="$CACHE/et-linux-riscv64"
  riscv64_runtime
  rm -rf "$package" && mkdir -p "$package"
  cp -a "$runtime/bin" "$runtime/lib" "$runtime/share" "$package/"
  cp "$BUNDLE" "$package/et.cjs"
  cp scripts/standalone/launcher-riscv64.sh "$package/et" && chmod 755 "$package/et"
  pack "$CACHE" et-linux-riscv64 "$OUT/et-linux-riscv64.tar.xz"
}

# ---- ppc64 (big-endian): the bundle and a launcher for the user's own Node ------------------------------
build_noarch() {
  log "ppc64 (big-endian): arch-independent bundle (the user's Node >= 20.11)"
  local package="$CACHE/et-noarch"
  rm -rf "$package" && mkdir -p "$package"
  cp "$BUNDLE" "$package/et.cjs"
  cp scripts/standalone/launcher-noarch.sh "$package/et" && chmod 755 "$package/et"
  pack "$CACHE" et-noarch "$OUT/et-noarch.tar.xz"
}

install_host_tools
mkdir -p "$OUT" "$CACHE"
log "bundle: one file, undici and the prompts inlined"
node esbuild.mjs --standalone
for arch in $ARCHES; do
  case $arch in
    amd64) build_sea amd64 x64 "$NODE_VERSION_amd64" ;;
    arm64) build_sea arm64 arm64 "$NODE_VERSION_arm64" ;;
    ppc64le) build_sea ppc64le ppc64le "$NODE_VERSION_ppc64le" ;;
    riscv64) build_riscv64 ;;
    ppc64) build_noarch ;;
    *) fail "unknown arch $arch (amd64 arm64 ppc64le riscv64 ppc64)" ;;
  esac
done
(cd "$OUT" && rm -f SHA256SUMS && sha256sum -- *.xz > SHA256SUMS)
log "dist/"
(cd "$OUT" && ls -l && cat SHA256SUMS) >&2
