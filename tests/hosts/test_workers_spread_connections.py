"""Kept-alive connections spread evenly over a server's workers (plue_hosts.connection_shares,
PlueWorker): gthread's workers race for each new connection and clients that keep theirs open
keep the split the first seconds made — 32 wrk connections went 32/0 in two runs of four, one
worker (one GIL, one core) doing all the work. A worker now leaves a new connection to another
one while it holds two more than the least loaded worker that can take it."""

from __future__ import annotations

import socket
import time

import psutil
import pytest
import requests

from plue_core import held_threads
from plue_core.testing import run_live_server
from plue_hosts import connection_shares
from plue_hosts.connection_shares import SharedCounts, should_accept

from test_accept_while_a_thread_is_not_held import holds, listener, listening, worker_with  # noqa: F401


def test_the_rule_takes_a_connection_unless_two_ahead_of_the_least_loaded_worker():
    assert should_accept(0, [])  # alone: always
    assert should_accept(5, [4, 9]) and should_accept(5, [4])
    assert not should_accept(6, [4, 9])
    assert should_accept(6, [9])  # behind the only other worker


def sharing(worker, shares: SharedCounts):
    worker.shares, worker.share_slot = shares, shares.reserve()
    worker.worker_connections = 1000
    return worker


def test_a_worker_two_connections_ahead_leaves_the_next_to_the_other(listener):  # noqa: F811
    shares = SharedCounts(slots=4)
    with socket.create_server(("127.0.0.1", 0)) as other_listener:
        ahead = sharing(worker_with(4, listener), shares)
        behind = sharing(worker_with(4, other_listener), shares)
        ahead.nr_conns, behind.nr_conns = 3, 1
        # A worker in another process writes its row with its own pid; this test's two
        # "workers" share one process, so the pid in their rows is this one's.
        behind.reconsider_accepting()
        ahead.reconsider_accepting()
        assert listening(behind) and not listening(ahead)

        behind.nr_conns = 2  # it took one: both may take the next
        behind.reconsider_accepting()
        ahead.reconsider_accepting()
        assert listening(behind) and listening(ahead)


def test_a_worker_that_cannot_accept_is_not_waited_for(listener, holds):  # noqa: F811
    """The other worker's threads all hold long-polls (or its row went stale: a stopped or
    stuck worker): this one accepts however many connections it holds."""
    shares = SharedCounts(slots=4)
    with socket.create_server(("127.0.0.1", 0)) as other_listener:
        busy = sharing(worker_with(1, listener), shares)
        held = sharing(worker_with(1, other_listener), shares)
        busy.nr_conns, held.nr_conns = 9, 0
        holds.hold()  # one process here: the hold counts for both, so publish by hand
        held.reconsider_accepting()
        assert not listening(held)
        holds.release()
        busy.reconsider_accepting()
        assert listening(busy)

        shares.publish(held.share_slot, 0, True)
        busy.reconsider_accepting()
        assert not listening(busy)
        stale = int(connection_shares.STALE_SECONDS * 1000) + 10
        shares._rows[held.share_slot * 4 + 3] -= stale  # its loop stopped writing
        busy.reconsider_accepting()
        assert listening(busy)


def test_slots_of_workers_that_are_gone_are_taken_again():
    shares = SharedCounts(slots=2)
    first, second = shares.reserve(), shares.reserve()
    assert {first, second} == {0, 1} and shares.reserve() is None  # full: gthread's way
    shares.publish(first, 3, True)
    shares._rows[first * 4] = 2 ** 22 + 12345  # a pid no process has
    assert shares.reserve() == first
    shares.release(second)
    assert shares.reserve() == second
    assert held_threads.count() == 0


def connections_per_worker(server) -> list[int]:
    master = psutil.Process(server.process.pid)
    port = int(server.url.rsplit(":", 1)[1])
    counts = []
    for process in master.children(recursive=True):
        if "worker" not in " ".join(process.cmdline()):
            continue
        counts.append(sum(1 for connection in process.net_connections("tcp")
                          if connection.laddr.port == port
                          and connection.status == psutil.CONN_ESTABLISHED))
    return sorted(counts)


@pytest.mark.e2e
def test_kept_alive_connections_are_spread_over_the_workers(tmp_path, plue_database_url):
    with run_live_server(tmp_path, plue_database_url, workers=2) as server:
        sessions = []
        for _ in range(16):
            session = requests.Session()  # one kept-alive connection each
            assert session.get(f"{server.url}/api/v1/version", timeout=20).status_code == 200
            sessions.append(session)
            time.sleep(0.05)
        counts = connections_per_worker(server)
        assert len(counts) == 2 and sum(counts) == 16, counts
        assert counts[1] - counts[0] <= connection_shares.MARGIN, counts
        for session in sessions:
            session.close()
