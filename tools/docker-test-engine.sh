#!/usr/bin/env bash
# Make a Docker engine available to the tests and build the tiny image they run:
#   tools/docker-test-engine.sh      exit 0 when `docker info` works and the image exists
# As root it installs docker.io and busybox-static with apt-get when missing, starts dockerd in
# the background when no engine answers (log: $PLUE_DOCKERD_LOG, default /var/log/plue-dockerd.log)
# and builds plue-busybox:latest with `docker import` from Debian's static busybox: no registry
# is reachable, so nothing is pulled. Idempotent: a second run only checks.
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
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/usr/bin" "$root/etc" "$root/tmp" "$root/root" "$root/workspace"
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
ln -sf /bin/busybox "$root/usr/bin/env"  # for `#!/usr/bin/env sh` scripts
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
tar -C "$root" -c . | docker import --change 'ENV PATH=/bin:/usr/bin' --change 'CMD ["/bin/sh"]' \
  - "$image" >/dev/null
say "engine ready, built $image ($(docker run --rm "$image" sh -c 'busybox | head -1'))"
