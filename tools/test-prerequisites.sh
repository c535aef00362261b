#!/usr/bin/env bash
# What the suite drives for real, made available before `make test` runs it (tools/run-tests.sh
# calls this; .ci/run does too). Each step is idempotent and only checks when all is there:
#   git and the OpenSSH client  (git over HTTP and SSH; apt-get as root when missing)
#   a Docker engine + image      tools/docker-test-engine.sh
#   headless Chromium            tools/install-browser.sh
# A step that cannot be done is a warning, not a failure: the tests that need it say so.
set -uo pipefail
cd "$(dirname "$0")/.."

say() { echo "test-prerequisites: $*" >&2; }

missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || say "WARNING: apt-get could not install ${missing[*]}"
  else
    say "WARNING: ${missing[*]} missing and this is not root: apt-get install ${missing[*]}"
  fi
fi
tools/docker-test-engine.sh || say "WARNING: no Docker engine; the tests that need one will say so"
tools/install-browser.sh || say "WARNING: no Chromium; the browser tests will say so"
exit 0
