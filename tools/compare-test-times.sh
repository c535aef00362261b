#!/usr/bin/env bash
# Where the suite's time goes, before and after a change, on the same machine state:
#   tools/compare-test-times.sh BEFORE_CHECKOUT [PYTEST ARGS...]     (default: tests/plugins/issues)
#   tools/with-postgres.sh tools/compare-test-times.sh BEFORE_CHECKOUT tests/core
# BEFORE_CHECKOUT is a `git worktree add --detach DIR COMMIT` of the "before" commit; its
# plue_core comes first on PYTHONPATH (the plugins are this checkout's). Runs before, after,
# before, after (interleaved: the other load on the machine hits both alike) with -n 2 and
# prints for each: wall, the pytest processes' CPU seconds, the PostgreSQL server's CPU seconds
# (its postmaster's reaped backends; 0 on SQLite), and pytest's own setup/call/teardown sums.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
before=$(cd "${1:?usage: $0 BEFORE_CHECKOUT [PYTEST ARGS...]}" && pwd); shift
[ $# -gt 0 ] || set -- tests/plugins/issues
python=${PYTHON:-$here/.venv/bin/python}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

server_cpu() {
  [ -n "${PLUE_TEST_DATABASE_URL:-}" ] || { echo 0; return; }
  local port pid
  port=$(python3 -c 'import os, urllib.parse; print(urllib.parse.urlparse(os.environ["PLUE_TEST_DATABASE_URL"]).port)')
  pid=$(pgrep -o -f "postgres -D .* -p $port " | head -1)
  [ -n "$pid" ] && awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" || echo 0
}

for round in 1 2; do
  for variant in before after; do
    root=$([ "$variant" = before ] && echo "$before" || echo "$here")
    start=$(server_cpu)
    (cd "$root" && PYTHONPATH="$root" /usr/bin/time -f "%e %U %S" -o "$out/time" \
      nice -n 10 "$python" -m pytest -q -n 2 -p no:cacheprovider --durations=0 "$@" >"$out/log" 2>&1)
    end=$(server_cpu)
    read -r wall user sys <"$out/time"
    sums=$(grep -E '^[0-9.]+s (setup|call|teardown) ' "$out/log" | awk '{sub("s$", "", $1); t[$2] += $1}
      END {printf "setup %.0f s, call %.0f s, teardown %.0f s", t["setup"], t["call"], t["teardown"]}')
    printf '%s %s: wall %.0f s, pytest CPU %.0f s, PostgreSQL CPU %d s | %s | %s\n' \
      "$round" "$variant" "$wall" "$(python3 -c "print($user + $sys)")" $(( ($end - $start) / $(getconf CLK_TCK) )) \
      "$sums" "$(grep -E 'passed|failed' "$out/log" | tail -1)"
  done
done
