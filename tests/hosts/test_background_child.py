"""``plue serve`` starts ONE child beside its workers for the daemons and the scheduler
(``plue daemons --with-scheduler``): an interpreter less in the server tree than a child for
each (issue 13, idle memory; docs/serving.md, Memory). It is forked from the gunicorn master
after the app is preloaded, sharing its pages, rather than exec'ed (plue_hosts.background):
what a fork inherits must not change how it behaves — its title, its own database connection,
HUP, its death, the master's death and shutdown."""

from __future__ import annotations

import os
import signal
import socket
import time
import urllib.request

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


def title(process: psutil.Process) -> list[str]:
    """The words of a process's title: the forked child's (setproctitle) is one string."""
    return " ".join(process.cmdline()).split()


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
        background = [child for child in children if "daemons" in title(child)]
        assert len(children) == 3  # two workers and one child for the daemons and the jobs
        assert len(background) == 1 and title(background[0]) == ["plue", "daemons", "--with-scheduler"]
        listeners = [child for child in children
                     if any(c.status == psutil.CONN_LISTEN and c.laddr.port == ssh_port
                            for c in child.net_connections("tcp"))]
        assert listeners == background
        assert {int(run.holder.rsplit(":", 1)[1]) for run in runs} == {background[0].pid}
        # Stopping the server stops that child with it.
    assert not background[0].is_running()


def wait_until(predicate, timeout: float = 30, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no {what} after {timeout}s")


def gone(process: psutil.Process) -> bool:
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def background(master: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in master.children():
        try:
            if title(child)[:2] in (["plue", "daemons"], ["plue", "scheduler"]):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def one_background(master: psutil.Process, other_than: int | None = None) -> psutil.Process:
    def found():
        children = [c for c in background(master) if c.pid != other_than]
        return children[0] if len(children) == 1 else None
    return wait_until(found, what="background child")


@pytest.mark.e2e
def test_the_child_is_forked_from_the_master_titled_as_its_command_and_connects_itself(
        tmp_path, plue_database_url):
    with run_live_server(tmp_path, plue_database_url, workers=2, scheduler={"mode": "serve"},
                         hello={"job_interval_seconds": 1}) as server:
        master = psutil.Process(server.process.pid)
        child = one_background(master)
        # Without daemons the child runs the jobs alone: titled as `plue scheduler` was.
        assert title(child) == ["plue", "scheduler"]
        # Forked, not exec'ed: the same interpreter binary, no command line of its own.
        assert child.exe() == master.exe()
        assert child.cmdline()[0] == "plue scheduler"
        runs = heartbeat_runs(plue_database_url, 2)
        assert {int(run.holder.rsplit(":", 1)[1]) for run in runs} == {child.pid}
        # It serves no HTTP: the master's listening socket was closed in the child.
        port = int(server.url.rsplit(":", 1)[1])
        assert not [c for c in child.net_connections("tcp") if c.laddr.port == port]
        # The preloaded master holds no database connection the child could share: the child's
        # runs above were written through its own.
        if plue_database_url.startswith("sqlite"):
            database = plue_database_url.removeprefix("sqlite:///")
            assert database not in {f.path for f in master.open_files()}
        else:
            assert not [c for c in master.net_connections("tcp") if c.raddr]
    assert gone(child)


@pytest.mark.e2e
def test_hup_starts_a_dead_child_again_and_the_master_still_stops_it(tmp_path, plue_database_url):
    with run_live_server(tmp_path, plue_database_url, workers=1,
                         scheduler={"mode": "serve"}) as server:
        master = psutil.Process(server.process.pid)
        first = one_background(master)
        os.kill(server.process.pid, signal.SIGHUP)  # gunicorn re-reads its config file
        time.sleep(2)
        assert one_background(master).pid == first.pid  # a live child is left alone
        first.kill()
        wait_until(lambda: gone(first), what="dead child")
        os.kill(server.process.pid, signal.SIGHUP)
        second = one_background(master, other_than=first.pid)
        assert title(second) == ["plue", "scheduler"]
        assert "had stopped: starting it again" in (tmp_path / "server.log").read_text()
    # Shutdown stops the child started on HUP (the state outlives gunicorn's reload).
    assert gone(second)


@pytest.mark.e2e
def test_the_child_stops_when_the_master_is_killed(tmp_path, plue_database_url):
    with run_live_server(tmp_path, plue_database_url, workers=1,
                         scheduler={"mode": "serve"}) as server:
        master = psutil.Process(server.process.pid)
        child = one_background(master)
        workers = [c for c in master.children() if c.pid != child.pid]
        master.kill()  # no on_exit: the child notices its parent is gone
        wait_until(lambda: gone(child), timeout=20, what="orphan's exit")
        for worker in workers:  # gunicorn's own workers notice too
            wait_until(lambda: gone(worker), timeout=30, what="worker's exit")


@pytest.mark.e2e
def test_a_child_with_nothing_to_run_exits_at_once_and_the_server_serves_on(
        tmp_path, plue_database_url):
    # No plugin daemon (ssh disabled) and the jobs elsewhere: as `plue daemons` alone, it exits.
    with run_live_server(tmp_path, plue_database_url, workers=1, daemons={"mode": "serve"},
                         scheduler={"mode": "separate"}, plugins={"disabled": ["ssh"]}) as server:
        master = psutil.Process(server.process.pid)
        wait_until(lambda: "no daemons to run" in (tmp_path / "server.log").read_text(),
                   what="the child's notice")
        wait_until(lambda: not background(master), what="the child's exit")
        with urllib.request.urlopen(f"{server.url}/health", timeout=10) as response:
            assert response.status == 200
