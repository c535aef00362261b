"""A worker that starts a graceful stop ends the runners' long-polls it holds at once: each
answers "no task" and the runner polls again, reaching a worker that is not stopping
(plue_core.held_threads.end_all, called as ``PlueWorker.alive`` turns false). Before, a held
poll kept the stop waiting for its whole hold, and a hold longer than gunicorn's
graceful_timeout was cut by SIGKILL: the runner saw a dropped connection, not an answer."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from plue_actions.testing import ProtocolRunner, transport_for_url
from plue_actions.wakeups import QueueWatcher
from plue_core import held_threads
from plue_core.testing import run_live_server


def test_ending_long_waits_wakes_a_held_wait_and_refuses_new_holds(tmp_path, monkeypatch):
    import peewee

    # This process's other apps' watchers are not this test's to stop.
    monkeypatch.setattr(held_threads, "_enders", [])
    watcher = QueueWatcher(peewee.SqliteDatabase(str(tmp_path / "w.db")), 0.05, max_held=4)
    watcher._ensure_thread = lambda: None  # its database reader is not what this test is about
    try:
        assert watcher.try_hold()
        woke = []
        waiting = threading.Thread(target=lambda: woke.append(watcher.wait_beyond(1, 60.0)))
        waiting.start()
        held_threads.end_all()
        waiting.join(timeout=10)
        assert not waiting.is_alive() and woke == [False]  # ended, not woken by new work
        assert not watcher.try_hold()
        watcher.release()
    finally:
        watcher.close()
    assert watcher.stop not in held_threads._enders  # a closed watcher is not kept


@pytest.mark.e2e
def test_sigterm_answers_a_held_long_poll_and_the_server_stops_without_waiting_for_it(
        tmp_path, plue_database_url):
    # One worker, a hold longer than gunicorn's graceful_timeout (30 s).
    with run_live_server(tmp_path, plue_database_url, workers=1,
                         actions={"long_poll_timeout": 120.0}) as server:
        registration = server.plue("actions", "registration-token").stdout.strip().split()[-1]
        runner = ProtocolRunner(transport_for_url(server.url))
        runner.register(registration, name="held", labels=("nothing-runs-here",))
        runner.fetch(timeout_ms=0)
        answers, failures = [], []

        def poll():
            try:
                answers.append(runner.fetch(timeout_ms=120_000))
            except Exception as error:  # a dropped connection or a 5xx: what must not happen
                failures.append(error)

        held = threading.Thread(target=poll, daemon=True)
        held.start()
        time.sleep(1.5)  # the poll reaches the worker and is held there
        assert held.is_alive()
        server.process.send_signal(signal.SIGTERM)
        held.join(timeout=20)
        assert not held.is_alive(), "the held poll was not answered when the stop began"
        assert failures == [] and answers == [None]  # answered: no task
        # The stop did not wait for the hold: the master is gone well before graceful_timeout.
        assert server.process.wait(timeout=20) == 0
