#!/usr/bin/env bash
# Make headless Chromium and its WebDriver available to the browser tests
# (tests/e2e/test_web_browser.py, selenium):
#   tools/install-browser.sh      exit 0 when `chromium` and `chromedriver` are on PATH
# As root it installs Debian's chromium and chromium-driver (and a font, so screenshots show
# text) with apt-get when missing; nothing is downloaded outside the package manager.
# Idempotent: a second run only checks.
set -euo pipefail

say() { echo "install-browser: $*" >&2; }

ready() { command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; }

if ! ready; then
  if [ "$(id -u)" != 0 ]; then
    say "chromium or chromedriver is missing and this is not root: apt-get install chromium chromium-driver"
    exit 1
  fi
  say "installing chromium chromium-driver fonts-dejavu-core"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
fi
ready || { say "chromium or chromedriver is still missing after apt-get"; exit 1; }
say "ready: $(chromium --version 2>/dev/null | head -1); $(chromedriver --version 2>/dev/null | head -1)"
