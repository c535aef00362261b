"""One writer at a time per run. Everything that moves a run's jobs (a finishing or
heartbeating task, a claim, a cancel, a rerun, a reaper) takes the run's row lock first, so

* two jobs finishing together cannot each miss the other's result (under PostgreSQL's READ
  COMMITTED both would see their sibling still running, and a job that ``needs`` both would
  stay blocked for ever);
* a heartbeat cannot write back a task that a cancel stopped meanwhile;
* locks are always taken run first, then its jobs and tasks, so these paths never deadlock.

On SQLite, write transactions (``BEGIN IMMEDIATE``) are already serial and this only re-reads.
"""

from __future__ import annotations

from plue_core.db import CompiledSelect, database, is_sqlite

from plue_actions.models import Run

# Compiled once per database (a claim's and every UpdateTask's first read): ``FOR UPDATE``
# where there are row locks.
_LOCKED = CompiledSelect(
    lambda run_id: Run.select().where(Run.id == run_id).for_update(not is_sqlite(database)),
    int)


def lock_run(db, run_id: int) -> Run:
    """The run as stored now, locked until the surrounding transaction ends."""
    run = _LOCKED.first(run_id)
    if run is None:
        raise Run.DoesNotExist(f"no run {run_id}")
    return run
