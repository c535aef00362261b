#!/usr/bin/env bash
# `make test`: the whole suite on SQLite, then again on a throwaway PostgreSQL cluster.
#   tools/run-tests.sh [PYTEST ARGS...]
# (default: -n ${PLUE_TEST_WORKERS:-2} tests docs/examples/plue-hello/tests)
# Both runs always happen; the exit status is non-zero when either failed. Where no PostgreSQL
# server binaries exist the PostgreSQL run is skipped with a loud warning.
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
if [ $# -eq 0 ]; then
  set -- -n "${PLUE_TEST_WORKERS:-2}" tests docs/examples/plue-hello/tests
fi
unset PLUE_TEST_DATABASE_URL

banner() { printf '\n==== %s ====\n' "$*"; }

banner "what the tests drive (git, ssh, Docker, Chromium)"
tools/test-prerequisites.sh

banner "tests on SQLite"
sqlite_status=0
"$python" -m pytest "$@" || sqlite_status=$?

banner "tests on PostgreSQL"
postgres_status=0
tools/with-postgres.sh "$python" -m pytest "$@" || postgres_status=$?
if [ "$postgres_status" = 3 ]; then
  postgres_status=0
  postgres_result="SKIPPED"
  cat >&2 <<'WARN'

!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!  WARNING: NO POSTGRESQL SERVER BINARIES (initdb, pg_ctl) ON THIS MACHINE.   !!
!!  THE SUITE RAN ON SQLITE ONLY; POSTGRESQL WAS NOT TESTED.                   !!
!!  Install them (Debian: apt-get install postgresql) and run `make test`.    !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
WARN
else
  postgres_result=$([ "$postgres_status" = 0 ] && echo passed || echo "FAILED (exit $postgres_status)")
fi

banner "summary"
echo "SQLite:     $([ "$sqlite_status" = 0 ] && echo passed || echo "FAILED (exit $sqlite_status)")"
echo "PostgreSQL: $postgres_result"
[ "$sqlite_status" = 0 ] && [ "$postgres_status" = 0 ]
