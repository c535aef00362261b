"""``plue_core.scheduler.Job`` is now ``ScheduledJob`` (a job elsewhere is a workflow's or
RunnerHub's); the former names keep third-party plugins working, with a DeprecationWarning."""

from __future__ import annotations

import importlib

import pytest

from plue_core import hookimpl, scheduler
from plue_core.db import connection
from plue_core.scheduler import ScheduledJob, ScheduledJobRun, run_scheduled_job


@pytest.mark.parametrize("old, new", [("Job", "ScheduledJob"), ("JobRun", "ScheduledJobRun"),
                                      ("JobLease", "ScheduledJobLease"),
                                      ("run_job", "run_scheduled_job")])
def test_each_former_name_is_the_new_object_with_a_deprecation_warning(old, new):
    with pytest.warns(DeprecationWarning, match=f"plue_core.scheduler.{old} is now {new}"):
        former = getattr(importlib.import_module("plue_core.scheduler"), old)
    assert former is getattr(scheduler, new)


def test_from_import_of_the_former_name_warns_where_it_is_imported():
    with pytest.warns(DeprecationWarning) as caught:
        from plue_core.scheduler import Job
    assert Job is ScheduledJob
    assert caught[0].filename == __file__


def test_the_new_names_import_without_a_warning(recwarn):
    from plue_core.scheduler import ScheduledJobLease  # noqa: F401

    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


def test_an_unknown_name_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="Jobs"):
        scheduler.Jobs  # noqa: B018


class LegacyPlugin:
    """A third-party plugin written against the former names."""

    PLUE_NAME = "legacy"

    def __init__(self):
        self.ticks = 0

    @hookimpl
    def register_jobs(self, ctx):
        with pytest.warns(DeprecationWarning):
            from plue_core.scheduler import Job
        return [Job("legacy.tick", self.tick, "interval", {"minutes": 5})]

    def tick(self, ctx):
        self.ticks += 1


def test_a_plugin_returning_the_former_job_class_is_scheduled_and_run(build_app):
    plugin = LegacyPlugin()
    ctx = build_app(plugin).plue
    job = ctx.jobs["legacy.tick"]
    assert isinstance(job, ScheduledJob) and ctx.job_plugins["legacy.tick"] == "legacy"
    with pytest.warns(DeprecationWarning):
        from plue_core.scheduler import run_job
    assert run_job(ctx, job) is True and plugin.ticks == 1
    assert run_scheduled_job(ctx, job) is True and plugin.ticks == 2
    with connection(ctx.db):
        runs = ScheduledJobRun.select().where(ScheduledJobRun.job_id == "legacy.tick")
        assert [run.succeeded for run in runs] == [True, True]
