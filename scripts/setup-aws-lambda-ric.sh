#!/usr/bin/env bash
# Builds the official Node runtime interface client (aws-lambda-ric, pinned in
# scripts/aws-lambda-ric/package-lock.json) into a cache folder for test/aws-lambda-ric.test.ts.
#
# Why a script and a cache: the ric is a native addon whose install compiles aws-lambda-cpp and
# curl from source (autoconf/automake/libtool + node-gyp). That is too heavy and too
# platform-bound to be one of Thaw's own dependencies, and it only serves one test. `npm test`
# runs this first, so a clean clone (CI) builds it from scratch and later runs reuse the build.
#
# Cache: $THAW_RIC_CACHE, default <repo>/.cache/aws-lambda-ric (gitignored). The build is reused
# only when its lockfile equals the committed one and the addon loads; otherwise it is redone.
# Any failure exits non-zero, which fails `npm test`: the ric test is never skipped.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PINNED="$ROOT/scripts/aws-lambda-ric"
CACHE="${THAW_RIC_CACHE:-$ROOT/.cache/aws-lambda-ric}"
RIC="$CACHE/node_modules/aws-lambda-ric"

log() { echo "setup-aws-lambda-ric: $*" >&2; }

# The build is usable when it is the pinned one and its native part loads in this Node. (The
# addon reads AWS_LAMBDA_RUNTIME_API when it loads and aborts without it; nothing connects.)
cached_build_works() {
  cmp -s "$PINNED/package-lock.json" "$CACHE/package-lock.json" || return 1
  [ -f "$RIC/bin/index.mjs" ] || return 1
  AWS_LAMBDA_RUNTIME_API=127.0.0.1:9 node -e 'require(process.argv[1])' "$RIC/dist/rapid-client.node" >/dev/null 2>&1 </dev/null
}

if cached_build_works; then
  log "cached build in $CACHE is current"
  exit 0
fi

# Build tools: the ric's preinstall runs autoreconf/configure/cmake/make on its vendored C++
# and curl sources; node-gyp needs make, a C++ compiler and python3. Installed only when absent
# (CI and this machine run as root; elsewhere apt-get fails loudly and says why).
missing=()
for pkg in autoconf automake libtool; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
command -v make >/dev/null || missing+=(make)
command -v g++ >/dev/null || missing+=(g++)
command -v cmake >/dev/null || missing+=(cmake)
command -v python3 >/dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing build packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  aptlog="$(mktemp)"
  if ! { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; } >"$aptlog" 2>&1; then
    tail -n 30 "$aptlog" >&2
    log "apt-get could not install ${missing[*]}"
    exit 1
  fi
  rm -f "$aptlog"
fi

started=$(date +%s)
log "building aws-lambda-ric from scratch into $CACHE (a few minutes)"
rm -rf "$CACHE"
mkdir -p "$CACHE"
cp "$PINNED/package.json" "$PINNED/package-lock.json" "$CACHE/"
# node-gyp must not download Node's headers (no internet in CI): the machine's npm config sets
# `nodedir`, which node-gyp reads as npm_config_nodedir. Default it to this Node's own prefix,
# whose include/node holds the headers of the running version.
export npm_config_nodedir="${npm_config_nodedir:-$(npm config get nodedir 2>/dev/null | grep -v '^undefined$' || true)}"
if [ -z "$npm_config_nodedir" ]; then
  npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
fi
buildlog="$CACHE/build.log"
if ! npm ci --prefix "$CACHE" --no-audit --no-fund --foreground-scripts >"$buildlog" 2>&1; then
  tail -n 60 "$buildlog" >&2
  log "npm ci failed (full log: $buildlog)"
  exit 1
fi
if ! cached_build_works; then
  tail -n 30 "$buildlog" >&2
  log "aws-lambda-ric installed but does not load (full log: $buildlog)"
  exit 1
fi
log "built in $(($(date +%s) - started)) s"
