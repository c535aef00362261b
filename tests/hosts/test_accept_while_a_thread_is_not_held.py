"""A gunicorn worker does not accept new connections while every one of its threads is held by
a long wait (plue_hosts.worker.PlueWorker, plue_core.held_threads; docs/serving.md, "The common
path and the tail"): a worker whose threads all hold runners' long-polls leaves new connections
to a worker that can serve them. Threads that are merely busy do not stop it: a worker that
refused connections whenever its pool was full left load-test connections in the backlog for
seconds."""

from __future__ import annotations

import collections
import concurrent.futures
import selectors
import socket
import threading
import time
import types

import pytest
import requests
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser

from plue_actions.testing import ProtocolRunner, transport_for_url
from plue_core import held_threads
from plue_core.testing import run_live_server
from plue_hosts.worker import PlueWorker


class PendingPool:
    """A thread pool whose requests stay unfinished until the test finishes them."""

    def __init__(self):
        self.futures: list[concurrent.futures.Future] = []

    def submit(self, function, conn):
        self.futures.append(concurrent.futures.Future())
        return self.futures[-1]


def worker_with(threads: int, listener: socket.socket) -> PlueWorker:
    config = Config()
    config.set("threads", threads)
    worker = PlueWorker.__new__(PlueWorker)  # the loop's state alone: no process, no app
    worker.cfg, worker.sockets, worker._accepting, worker.nr_conns = config, [listener], False, 2
    worker.poller, worker.tpool = selectors.DefaultSelector(), PendingPool()
    worker.method_queue = types.SimpleNamespace(defer=lambda *args: None)
    return worker


def listening(worker: PlueWorker) -> bool:
    return any(key.fileobj is worker.sockets[0] for key in worker.poller.get_map().values())


@pytest.fixture
def listener():
    with socket.create_server(("127.0.0.1", 0)) as sock:
        yield sock


@pytest.fixture
def holds():
    """Holds taken through plue_core.held_threads, released after the test whatever happens."""
    taken = []

    def hold():
        held_threads.hold()
        taken.append(1)

    def release():
        held_threads.release()
        taken.pop()

    yield types.SimpleNamespace(hold=hold, release=release)
    for _ in taken:
        held_threads.release()


def test_a_worker_stops_accepting_while_every_thread_is_held_and_starts_again(listener, holds):
    worker = worker_with(2, listener)
    worker.set_accept_enabled(True)
    assert listening(worker)
    holds.hold()
    worker.set_accept_enabled(True)
    assert listening(worker)  # one thread is still free of a hold
    holds.hold()
    worker.set_accept_enabled(True)  # gthread's loop asks again on each pass
    assert not listening(worker)

    holds.release()
    worker.set_accept_enabled(True)
    assert listening(worker)


def test_threads_busy_with_ordinary_requests_do_not_stop_accepting(listener):
    """32 keep-alive clients on 16 threads keep every thread busy all the time: a worker that
    stopped accepting then left some of them unaccepted for seconds (wrk's timeouts)."""
    worker = worker_with(2, listener)
    worker.set_accept_enabled(True)
    for _ in range(5):
        worker.enqueue_req(object())
        worker.set_accept_enabled(True)
    assert listening(worker)


def test_a_hold_starting_or_ending_has_the_loop_reconsider_accepting(listener, holds):
    """gthread's loop asks again only while it wants to accept and is not: a hold taken while
    the worker accepts must stop it without waiting for another reason to look."""
    worker = worker_with(1, listener)
    worker.worker_connections = 1000
    deferred = []
    worker.method_queue = types.SimpleNamespace(defer=deferred.append)
    remove = held_threads.on_change(lambda: worker.method_queue.defer(worker.reconsider_accepting))
    try:
        worker.set_accept_enabled(True)
        holds.hold()
        for callback in deferred:  # what the loop's method queue runs on the main thread
            callback()
        assert not listening(worker)
        deferred.clear()
        holds.release()
        for callback in deferred:
            callback()
        assert listening(worker)
    finally:
        remove()


def test_gthreads_way_accepts_whatever_its_threads_are_doing(listener, holds):
    worker = worker_with(1, listener)
    worker.accepts_only_with_a_thread_not_held = False
    holds.hold()
    worker.set_accept_enabled(True)
    assert listening(worker)


@pytest.mark.e2e
def test_a_held_long_poll_does_not_delay_requests_on_new_connections(tmp_path,
                                                                     plue_database_url):
    """Two workers of one thread: a runner's FetchTask holds one worker's only thread; every
    request on a new connection is then served by the other worker while the poll is still
    held. With gthread's way each new connection had an even chance of waiting behind it."""
    with run_live_server(tmp_path, plue_database_url, workers=2, server={"threads": 1},
                         actions={"long_poll_timeout": 60.0}) as server:
        registration = server.plue("actions", "registration-token").stdout.strip().split()[-1]
        runner = ProtocolRunner(transport_for_url(server.url))
        runner.register(registration, name="held", labels=("nothing-runs-here",))
        runner.fetch(timeout_ms=0)
        held = threading.Thread(target=runner.fetch, kwargs={"timeout_ms": 60_000}, daemon=True)
        held.start()
        time.sleep(1.0)  # the poll reaches a worker and waits there
        answered = 0
        while answered < 8:
            assert held.is_alive()
            # A new connection each time (no session): which worker accepts it is the point.
            response = requests.get(f"{server.url}/api/v1/version", timeout=20,
                                    headers={"Connection": "close"})
            assert response.status_code == 200
            answered += 1
        assert held.is_alive(), "the long-poll ended before the requests were answered"


class KeptAlive:
    """What gthread's finish_request reads of a connection whose answer kept it open."""

    def __init__(self, sock):
        self.sock = sock
        self.parser = types.SimpleNamespace(
            unreader=types.SimpleNamespace(buf=types.SimpleNamespace(getvalue=lambda: b"")))

    def set_timeout(self):
        self.timeout = time.monotonic() + 5


def test_a_request_already_waiting_on_a_kept_alive_connection_goes_to_the_pool_at_once(
        listener):
    """The next request of a busy keep-alive client is handed to the pool as its previous one
    finishes, not after a pass of the poller; an idle connection waits in the poller."""
    worker = worker_with(2, listener)
    worker.alive, worker.keepalived_conns = True, collections.deque()
    client, served = socket.socketpair()
    idle_client, idle = socket.socketpair()
    with client, served, idle_client, idle:
        waiting, quiet = KeptAlive(served), KeptAlive(idle)
        for conn in (waiting, quiet):
            worker.enqueue_req(conn)
        client.sendall(b"GET /next HTTP/1.1\r\n\r\n")
        for future in worker.tpool.futures:
            future.set_result(True)  # answered, keep-alive
        worker.finish_request(waiting, worker.tpool.futures[0])
        worker.finish_request(quiet, worker.tpool.futures[1])

        assert len(worker.tpool.futures) == 3  # the waiting request is in the pool again
        assert list(worker.keepalived_conns) == [quiet]
        registered = {key.fileobj for key in worker.poller.get_map().values()}
        assert idle in registered and served not in registered
        assert served.recv(64) == b"GET /next HTTP/1.1\r\n\r\n"  # peeked, not consumed
        # straight to the pool: never made non-blocking for the poller and back
        assert served.getblocking() and idle.getblocking() is False


class CountedSocket:
    """A socket whose timeout changes are counted (each one a system call releasing the GIL)."""

    def __init__(self, sock):
        self.sock, self.timeouts_set = sock, 0

    def recv(self, size):
        return self.sock.recv(size)

    def gettimeout(self):
        return self.sock.gettimeout()

    def settimeout(self, value):
        self.timeouts_set += 1
        self.sock.settimeout(value)


def parsed(request: bytes, read_body: bool):
    """A connection whose request gunicorn has parsed (its body read by the app or not)."""
    client, served = socket.socketpair()
    client.sendall(request)
    counted = CountedSocket(served)
    parser = RequestParser(Config(), counted, ("127.0.0.1", 1))
    if read_body:
        next(parser).body.read()
    else:
        next(parser)
    return types.SimpleNamespace(parser=parser, sock=counted), client, served


@pytest.mark.parametrize("request_bytes", [
    b"GET /api/v1/user HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /api/actions/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
])
def test_a_request_whose_body_was_read_to_its_end_is_kept_alive_without_a_drain(
        listener, request_bytes):
    worker = worker_with(2, listener)
    conn, client, served = parsed(request_bytes, read_body=True)
    with client, served:
        assert worker._keepalive_after(conn, True) is True
        assert conn.sock.timeouts_set == 0


def test_a_body_the_app_left_unread_is_drained_before_the_connection_is_kept(listener):
    worker = worker_with(2, listener)
    conn, client, served = parsed(b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"
                                  b"abcdeGET /next", read_body=False)
    with client, served:
        assert worker._keepalive_after(conn, True) is True
        assert conn.sock.timeouts_set > 0  # gthread's drain, bounded by the socket's timeout
        client.sendall(b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert next(conn.parser).path == "/next"  # the unread body is gone, not parsed
        assert worker._keepalive_after(conn, False) is False
