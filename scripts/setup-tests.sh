#!/usr/bin/env bash
# What the test suite needs beyond `npm ci`, run by `npm test` before tap: the official Node
# runtime interface client, built from source (setup-aws-lambda-ric.sh), and the AWS CLI
# (setup-aws-cli.sh). Each step is quick when its result is already there; any failure stops
# `npm test`, so the tests that need them never run without them.
set -euo pipefail
here="$(dirname "$0")"
bash "$here/setup-aws-lambda-ric.sh"
bash "$here/setup-aws-cli.sh"
