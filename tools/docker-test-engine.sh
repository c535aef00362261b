#!/usr/bin/env bash
# Make a Docker engine available to the tests and build the tiny image they run:
#   tools/docker-test-engine.sh      exit 0 when `docker info` works and the image exists
# As root it installs docker.io and busybox-static with apt-get when missing, starts dockerd in
# the background when no engine answers (log: $PLUE_DOCKERD_LOG, default /var/log/plue-dockerd.log)
# and builds plue-busybox:latest with `plue runner image` (`docker import` of Debian's static
# busybox): no registry is reachable, so nothing is pulled. Idempotent: a second run only checks.
set -euo pipefail
image=${PLUE_TEST_IMAGE:-plue-busybox:latest}
log=${PLUE_DOCKERD_LOG:-/var/log/plue-dockerd.log}

say() { echo "docker-test-engine: $*" >&2; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
[ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null)" = "install ok installed" ] \
  || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    say "missing ${missing[*]} and not root: install them with apt-get"; exit 1
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (log: $log)"
  mkdir -p "$(dirname "$log")"
  setsid nohup dockerd >"$log" 2>&1 </dev/null &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 $! 2>/dev/null || break  # dockerd gave up
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    say "dockerd did not start; the end of its log:"
    tail -n 15 "$log" >&2 || true
    exit 1
  fi
fi

if docker image inspect "$image" >/dev/null 2>&1; then
  say "engine ready, image $image present"
  exit 0
fi
# The image recipe lives in one place: `plue runner image` (plugins/plue_runner_agent/job_image.py).
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$repo/.venv/bin/python}
[ -x "$python" ] || python=python3
(cd "$repo" && "$python" -m plue_runner_agent image --tag "$image" >/dev/null)
say "engine ready, built $image ($(docker run --rm "$image" sh -c 'busybox | head -1'))"
