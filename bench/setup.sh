#!/usr/bin/env bash
# Installs what the benchmarks compare against and drive with, none of which the tests need:
#   - wrk (Debian's package): a native HTTP load generator for `bench http`. A generator in C
#     spends a tenth of the CPU per request that one in Node does, so on a 2-core machine it
#     leaves the server the cores that a remote client would.
#   - isolated-vm (bench/peers/isolated-vm, its own locked package): a peer for `bench startup`.
# Safe to run again: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "bench setup: wrk is missing; install it with your package manager (Debian: apt-get install wrk)" >&2
  else
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
  fi
fi

npm ci --prefix bench/peers/isolated-vm --no-audit --no-fund
