"""``plue serve`` starts ONE child beside its workers for the daemons and the scheduler
(``plue daemons --with-scheduler``): an interpreter less in the server tree than a child for
each (issue 13, idle memory; docs/serving.md, Memory)."""

from __future__ import annotations

import socket
import time

import psutil
import pytest

from plue_core.db import connection, open_database
from plue_core.scheduler import ScheduledJobRun
from plue_core.testing import free_port, run_live_server


def heartbeat_runs(database_url: str, count: int, timeout: float = 30) -> list[ScheduledJobRun]:
    db = open_database(database_url)
    deadline = time.monotonic() + timeout
    try:
        with db.bind_ctx([ScheduledJobRun]):
            while time.monotonic() < deadline:
                with connection(db):
                    runs = list(ScheduledJobRun.select().where(ScheduledJobRun.job_id == "hello.heartbeat"))
                if len(runs) >= count:
                    return runs
                time.sleep(0.2)
    finally:
        if not db.is_closed():
            db.close()
    raise AssertionError(f"fewer than {count} runs of hello.heartbeat after {timeout}s")


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.e2e
def test_the_ssh_listener_and_the_scheduled_jobs_share_one_child_of_the_master(
        tmp_path, plue_database_url):
    ssh_port = free_port()
    with run_live_server(tmp_path, plue_database_url, workers=2, scheduler={"mode": "serve"},
                         daemons={"mode": "serve"}, ssh={"bind": f"127.0.0.1:{ssh_port}"},
                         hello={"job_interval_seconds": 1}) as server:
        wait_for_port(ssh_port)
        runs = heartbeat_runs(plue_database_url, 2)
        master = psutil.Process(server.process.pid)
        children = master.children()
        background = [child for child in children if "daemons" in child.cmdline()]
        assert len(children) == 3  # two workers and one child for the daemons and the jobs
        assert len(background) == 1 and "--with-scheduler" in background[0].cmdline()
        listeners = [child for child in children
                     if any(c.status == psutil.CONN_LISTEN and c.laddr.port == ssh_port
                            for c in child.net_connections("tcp"))]
        assert listeners == background
        assert {int(run.holder.rsplit(":", 1)[1]) for run in runs} == {background[0].pid}
        # Stopping the server stops that child with it.
    assert not background[0].is_running()
