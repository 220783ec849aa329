#!/usr/bin/env bash
# Installs the AWS CLI (Debian's `awscli` package, CLI v2) for test/aws-cli.test.ts, which drives
# `thaw serve` with `aws lambda … --endpoint-url`: the issue's promise that the real CLI works
# unmodified, checked with the real CLI. Installed only when `aws` is missing; `npm test` runs
# this first, so a clean machine (CI runs as root) gets it and later runs skip the work. Any
# failure exits non-zero, which fails `npm test`: the CLI test is never skipped.
set -euo pipefail

log() { echo "setup-aws-cli: $*" >&2; }

if command -v aws >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  log "the AWS CLI is missing and this is not root on Debian: install it (Debian: apt-get install awscli)"
  exit 1
fi
log "installing awscli (Debian)"
export DEBIAN_FRONTEND=noninteractive
aptlog="$(mktemp)"
if ! { apt-get update && apt-get install -y --no-install-recommends awscli; } >"$aptlog" 2>&1; then
  cat "$aptlog" >&2
  log "apt-get could not install awscli"
  exit 1
fi
rm -f "$aptlog"
aws --version >&2
