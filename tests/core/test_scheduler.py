"""Scheduled jobs run in one process per deployment, each run under a database lease."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import time

import psutil
import pytest

from plue_core.db import connection, open_database, utcnow
from plue_core.scheduler import ScheduledJobLease, ScheduledJobRun, acquire_lease, release_lease
from plue_core.testing import run_live_server

# --- the lease ---------------------------------------------------------------------------------------


def test_a_held_lease_keeps_other_schedulers_out_until_released(ctx):
    with connection(ctx.db):
        assert acquire_lease("probe.job", "host:1", 60) is True
        assert acquire_lease("probe.job", "host:2", 60) is False
        assert acquire_lease("probe.job", "host:1", 60) is True  # the holder may renew
        release_lease("probe.job", "host:2")  # not the holder: changes nothing
        assert acquire_lease("probe.job", "host:2", 60) is False
        release_lease("probe.job", "host:1")
        assert acquire_lease("probe.job", "host:2", 60) is True
        assert ScheduledJobLease.get_by_id("probe.job").holder == "host:2"


def test_an_expired_lease_can_be_taken_over(ctx):
    with connection(ctx.db):
        assert acquire_lease("probe.job", "crashed:1", 60) is True
        ScheduledJobLease.update(expires_at=utcnow() - datetime.timedelta(seconds=1)).execute()
        assert acquire_lease("probe.job", "host:2", 60) is True


_RACER = """
import json, sys, time
from plue_core.app import build_context
from plue_core.config import load_config
from plue_core.scheduler import ScheduledJob, run_scheduled_job

ctx = build_context(load_config(sys.argv[1], environ={}))
start_at = float(sys.argv[2])
spans = []

def slow(ctx):
    spans.append(time.time())
    time.sleep(1.0)
    spans.append(time.time())

time.sleep(max(0.0, start_at - time.time()))
ran = run_scheduled_job(ctx, ScheduledJob("probe.slow", slow))
print(json.dumps({"ran": ran, "spans": spans}))
"""


def test_two_scheduler_processes_never_run_the_same_job_at_once(tmp_path, plue_database_url, plue):
    plue("migrate")
    start_at = str(time.time() + 2.5)  # both racers are imported and connected by then
    racers = [subprocess.Popen([sys.executable, "-c", _RACER, str(plue.config_path), start_at],
                               env=plue.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True) for _ in range(2)]
    results = []
    for racer in racers:
        out, err = racer.communicate(timeout=60)
        assert racer.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(r["ran"] for r in results) == [False, True]
    db = open_database(plue_database_url)
    with db.bind_ctx([ScheduledJobRun]), connection(db):
        assert ScheduledJobRun.select().where(ScheduledJobRun.job_id == "probe.slow").count() == 1
    db.close()


# --- one scheduler beside gunicorn ------------------------------------------------------------------


def job_runs(database_url: str, job_id: str) -> list[ScheduledJobRun]:
    db = open_database(database_url)
    try:
        with db.bind_ctx([ScheduledJobRun]), connection(db):
            return list(ScheduledJobRun.select().where(ScheduledJobRun.job_id == job_id)
                        .order_by(ScheduledJobRun.started_at))
    finally:
        if not db.is_closed():
            db.close()


def wait_for_runs(database_url: str, count: int, timeout: float) -> list[ScheduledJobRun]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = job_runs(database_url, "hello.heartbeat")
        if len(runs) >= count:
            return runs
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} runs of hello.heartbeat after {timeout}s")


@pytest.mark.e2e
def test_with_two_gunicorn_workers_a_job_runs_once_per_interval_in_the_scheduler_process(
        tmp_path, plue_database_url):
    with run_live_server(tmp_path, plue_database_url, workers=2, scheduler={"mode": "serve"},
                         hello={"job_interval_seconds": 1}) as server:
        runs = wait_for_runs(plue_database_url, 4, timeout=30)
        master = psutil.Process(server.process.pid)
        children = {child.pid: " ".join(child.cmdline()) for child in master.children()}
        assert len(children) == 3  # two workers and one scheduler

    holders = {run.holder for run in runs}
    assert len(holders) == 1, holders
    holder_pid = int(holders.pop().rsplit(":", 1)[1])
    assert holder_pid in children and holder_pid != server.process.pid
    assert "scheduler" in children[holder_pid]
    starts = [run.started_at for run in runs]
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(starts, starts[1:])]
    assert all(0.5 <= gap <= 5 for gap in gaps), gaps  # once per 1 s interval, never twice
    assert all(run.succeeded for run in runs[:-1])


@pytest.mark.e2e
def test_in_separate_mode_serve_runs_no_jobs_and_the_scheduler_host_does(tmp_path, plue_database_url):
    with run_live_server(tmp_path, plue_database_url, workers=2, scheduler={"mode": "separate"},
                         hello={"job_interval_seconds": 1}) as server:
        assert len(psutil.Process(server.process.pid).children()) == 2  # workers only
        time.sleep(2.5)
        assert job_runs(plue_database_url, "hello.heartbeat") == []

        scheduler = subprocess.Popen([sys.executable, "-m", "plue_hosts.scheduler"], env=server.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            runs = wait_for_runs(plue_database_url, 2, timeout=30)
        finally:
            scheduler.terminate()
            scheduler.wait(timeout=20)
    assert {run.holder.rsplit(":", 1)[1] for run in runs} == {str(scheduler.pid)}
