"""The hourly job that removes what a merge killed midway leaves in a bare repository, and
only that."""

from __future__ import annotations

import os
import time

from plue_core.scheduler import ScheduledJobRun, run_scheduled_job

from plue_pulls import scheduled_jobs


def age(path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


def test_the_job_removes_old_merge_leftovers_and_keeps_fresh_ones_and_gits_own(forge):
    bare = forge.bare("alice/project")
    old_scratch = bare / "plue-scratch-killed"
    (old_scratch / "ab").mkdir(parents=True)
    (old_scratch / "ab" / ("c" * 38)).write_bytes(b"x")
    age(old_scratch, 7200)
    running = bare / "plue-scratch-running"
    running.mkdir()
    objects = bare / "objects" / "ab"
    objects.mkdir(exist_ok=True)
    half_copied = objects / f"tmp_obj_4242_{'d' * 38}"
    half_copied.write_bytes(b"x")
    age(half_copied, 7200)
    gits_own = objects / "tmp_obj_Xy12Zq"
    gits_own.write_bytes(b"x")
    age(gits_own, 7200)

    [job] = [j for j in scheduled_jobs.jobs(forge.ctx) if j.id == "pulls.remove_merge_leftovers"]
    assert job.trigger == "interval" and job.trigger_args == {"hours": 1}
    assert run_scheduled_job(forge.ctx, job) is True
    assert ScheduledJobRun.select().where(ScheduledJobRun.job_id == job.id).get().succeeded is True

    assert not old_scratch.exists() and not half_copied.exists()
    assert running.is_dir() and gits_own.exists()


def test_merging_still_works_after_a_cleanup(forge):
    pull = forge.feature_pull()
    bare = forge.bare("alice/project")
    stale = bare / "plue-scratch-stale"
    stale.mkdir()
    age(stale, 7200)
    [job] = [j for j in scheduled_jobs.jobs(forge.ctx) if j.id == "pulls.remove_merge_leftovers"]
    run_scheduled_job(forge.ctx, job)
    assert not stale.exists()
    response = forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"Do": "merge"})
    assert response.status_code == 200, response.text
    assert not list(bare.glob("plue-scratch-*"))
    out = forge.git("alice/project", "fsck", "--strict", "--no-progress", "--no-dangling")
    assert "error" not in out and "broken" not in out
