#!/usr/bin/env bash
# Run a command with PLUE_TEST_DATABASE_URL pointing at a PostgreSQL server:
#   tools/with-postgres.sh COMMAND [ARGS...]
# If PLUE_TEST_DATABASE_URL is already set it is used as is; otherwise a throwaway cluster is
# started on a free port in a temporary directory and removed afterwards, whatever happens.
# Exits 3, running nothing, when no PostgreSQL server binaries are installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

if [ -n "${PLUE_TEST_DATABASE_URL:-}" ]; then
  exec "$@"
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "NO POSTGRESQL SERVER BINARIES FOUND (looked in /usr/lib/postgresql/*/bin)" >&2
  exit 3
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PLUE_TEST_CLUSTER_PARENT: where the cluster's directory goes (tools/run-tests.sh: in memory).
dir=$(mktemp -d "${PLUE_TEST_CLUSTER_PARENT:-${TMPDIR:-/tmp}}/plue-pg-test.XXXXXX")
cleanup() {
  "$here/postgres-test-cluster.sh" stop "$dir/data" || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The cluster may run as the postgres user: it must be able to reach its directory.
chmod 755 "$dir"
PLUE_TEST_DATABASE_URL=$("$here/postgres-test-cluster.sh" start "$dir/data" "$port")
export PLUE_TEST_DATABASE_URL
echo "throwaway PostgreSQL cluster at $PLUE_TEST_DATABASE_URL ($dir)"
status=0
"$@" || status=$?
exit $status
