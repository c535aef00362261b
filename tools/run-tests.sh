#!/usr/bin/env bash
# `make test`: the whole suite on SQLite, then again on a throwaway PostgreSQL cluster.
#   tools/run-tests.sh [PYTEST ARGS...]
# (default: -n ${PLUE_TEST_WORKERS:-2} tests docs/examples/plue-hello/tests)
# Both runs always happen; the exit status is non-zero when either failed. Where no PostgreSQL
# server binaries exist the PostgreSQL run is skipped with a loud warning.
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
# The whole suite (no arguments): on PostgreSQL, only the test modules that asked for the
# database during the SQLite run (plue_core.testing.test_database_server: the one place a
# test learns which database it runs on); a module that never asked behaves the same on both,
# and its result is the SQLite run's.
whole=no
if [ $# -eq 0 ]; then
  whole=yes
  set -- -n "${PLUE_TEST_WORKERS:-2}" tests docs/examples/plue-hello/tests
fi
unset PLUE_TEST_DATABASE_URL PLUE_TEST_DATABASE_READERS
readers=$(mktemp -d "${TMPDIR:-/tmp}/plue-db-readers.XXXXXX")
trap 'rm -rf "$readers"' EXIT

banner() { printf '\n==== %s ====\n' "$*"; }

# The tests' files (pytest's tmp_path: repositories, SQLite databases, data directories) and the
# throwaway PostgreSQL cluster live in memory where the machine has a tmpfs with room
# (/dev/shm, 4 GiB free): git, dulwich and SQLite fsync what they write, and on disk those
# waits were a third of a run's time (docs/testing.md). A passed test's directory goes when it
# ends; a failed one's stays, in $memory/<run>, until the next run.
memory=""
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] \
    && [ "$(df -k --output=avail /dev/shm 2>/dev/null | tail -1)" -ge $((4 * 1024 * 1024)) ]; then
  memory=/dev/shm/plue-tests-$(id -u)-$(printf %s "$PWD" | md5sum | cut -c1-8)
  mkdir -p "$memory" && chmod 755 "$memory"
fi
in_memory() {  # in_memory RUN: pytest's options for this run's files
  [ -n "$memory" ] && printf '%s\n' "--basetemp=$memory/$1" -o tmp_path_retention_policy=failed
}
# The whole suite's log names its slowest steps: where a run's time goes, read from CI's log.
if [ "$whole" = yes ]; then
  set -- --durations=30 "$@"
fi

banner "what the tests drive (git, ssh, Docker, Chromium)"
tools/test-prerequisites.sh

banner "tests on SQLite"
sqlite_status=0
mapfile -t sqlite_files < <(in_memory sqlite)
PLUE_TEST_DATABASE_READERS=$readers "$python" -m pytest "${sqlite_files[@]}" "$@" || sqlite_status=$?

banner "tests on PostgreSQL"
if [ "$whole" = yes ]; then
  mapfile -t modules < <("$python" -c 'import pathlib, sys
from plue_core.testing import database_reading_modules
print("\n".join(database_reading_modules(pathlib.Path(sys.argv[1]))))' "$readers")
  all=$(find tests docs/examples/plue-hello/tests -name 'test_*.py' | wc -l)
  if [ "${#modules[@]}" -gt 0 ]; then
    echo "${#modules[@]} of $all test modules asked for the database on SQLite: they run again" \
         "on PostgreSQL; the $((all - ${#modules[@]})) others never did (their result is SQLite's)"
    set -- --durations=30 -n "${PLUE_TEST_WORKERS:-2}" "${modules[@]}"
  else
    echo "no test module noted asking for the database: the whole suite runs on PostgreSQL"
  fi
fi
postgres_status=0
mapfile -t postgres_files < <(in_memory postgres)
PLUE_TEST_CLUSTER_PARENT=${memory:-${TMPDIR:-/tmp}} \
  tools/with-postgres.sh "$python" -m pytest "${postgres_files[@]}" "$@" || postgres_status=$?
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
