"""Plue's gunicorn worker: gunicorn's ``gthread`` worker that also serves the plugins'
WebSocket endpoints (hook ``register_websocket_endpoints``; RunnerHub's ``/api/ws`` is one) on
the same port (``worker_class`` in hosts/gunicorn.conf.py).

Every request is read and parsed by gthread as usual. A WebSocket handshake to a path a plugin
declared is not given to the WSGI app: its socket is handed to this worker's WebSocket loop
(one asyncio thread, hosts/websocket/entry.py), which answers ``101`` and runs the connection
with the plugin's handler there, and the request thread is free again at once. Ordinary
requests and runner long-polls take exactly gthread's path; the only cost they pay is one
dictionary lookup of the path. See docs/serving.md."""

from __future__ import annotations

import socket

from gunicorn import util
from gunicorn.http import wsgi
from gunicorn.http.body import LengthReader
from gunicorn.workers.gthread import ThreadWorker

from plue_core import held_threads
from plue_hosts.connection_shares import SharedCounts, should_accept
from plue_hosts.websocket.entry import WebSocketHost, refusal

__all__ = ["PlueWorker"]


class PlueWorker(ThreadWorker):
    """gthread plus the plugins' WebSocket endpoints; the WebSocket loop starts with the worker
    and ends with it. It does not accept new connections while every one of its threads is held
    by a long wait (a runner's long-poll), nor while it holds more connections than the other
    workers (``plue_hosts.connection_shares``), and hands the next request of a kept-alive
    connection to its pool at once when the client has already sent it."""

    websockets: WebSocketHost | None = None
    _alive = False
    # gthread accepts whenever the listening socket is readable: a worker whose every thread
    # holds a runner's long-poll would take a new connection and leave its request waiting for
    # a poll to end (up to a minute) while another worker is free. Such a worker leaves new
    # connections in the shared backlog (docs/serving.md, "The common path and the tail").
    # Threads that are merely busy do not count: they are free again in milliseconds, and a
    # worker refusing connections whenever its pool is full starved the backlog under load.
    accepts_only_with_a_thread_not_held = True
    # gthread puts every kept-alive connection back in its poller and hands it to the pool on
    # the poller's next pass; a client that has already sent its next request does not wait
    # for that pass (a loop of the main thread, which waits for the GIL each time).
    takes_a_waiting_request_at_once = True
    # gthread's workers race for each new connection, and kept-alive clients keep the split
    # the first seconds made (32 wrk connections: 32/0 in two runs of four); a worker two
    # connections ahead of the least loaded one that can accept leaves the next to it.
    spreads_connections = True
    # The master's table of every worker's connections (made before the first fork).
    shares: SharedCounts | None = None
    share_slot: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # in the master, before this worker's fork
        if self.spreads_connections:
            if PlueWorker.shares is None:
                PlueWorker.shares = SharedCounts()
            self.share_slot = PlueWorker.shares.reserve()

    @property
    def alive(self) -> bool:
        return self._alive

    @alive.setter
    def alive(self, value: bool) -> None:
        # Every way a worker starts to stop sets ``alive`` false: SIGTERM (handle_exit),
        # max_requests, its master gone. gthread then waits up to graceful_timeout for the
        # requests in flight; a runner's long-poll held for its whole hold (up to minutes)
        # would keep the stop waiting and be cut by SIGKILL. Its waits end now instead and
        # answer "no task"; the runner polls again and reaches a worker that is not stopping.
        stopping = not value and self._alive
        self._alive = value
        if stopping:
            held_threads.end_all()

    def init_process(self):
        # A thread starting or ending a hold has the main loop reconsider accepting (gthread's
        # loop itself only asks again while it wants to accept and is not).
        held_threads.on_change(lambda: self.method_queue.defer(self.reconsider_accepting))
        super().init_process()

    def reconsider_accepting(self):
        self.set_accept_enabled(self.nr_conns < self.worker_connections)

    def set_accept_enabled(self, enabled):
        if (enabled and self.accepts_only_with_a_thread_not_held
                and held_threads.count() >= self.cfg.threads):
            enabled = False
        if self.share_slot is not None:
            # Published before the spreading rule: whether this worker could take one.
            self.shares.publish(self.share_slot, self.nr_conns, enabled)
            if enabled and not should_accept(self.nr_conns,
                                             self.shares.others_accepting(self.share_slot)):
                enabled = False
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout):
        # gthread's loop decides again only when it wants to accept and is not; the other
        # workers' counts change without this one's knowing, so decide on every pass.
        if self.share_slot is not None:
            self.reconsider_accepting()
        super().wait_for_and_dispatch_events(timeout)

    def run(self):
        ctx = getattr(self.wsgi, "plue", None)
        # TLS belongs to the reverse proxy (docs/admin.md): an SSL socket cannot be adopted
        # by the loop, so with gunicorn's own certfile a WebSocket path is an ordinary request.
        if ctx is not None and ctx.websocket_endpoints and not self.cfg.is_ssl:
            self.websockets = WebSocketHost(ctx, self.log)
        try:
            super().run()
        finally:
            if self.share_slot is not None:
                self.shares.release(self.share_slot)
            if self.websockets is not None:
                # In-flight requests are done (gthread's graceful stop); tell each WebSocket
                # client the server is going away (1001) so it reconnects to another worker.
                self.websockets.shutdown(timeout=5.0)

    def handle_request(self, req, conn):
        if (self.websockets is None or not self.websockets.serves(req.path)
                or not is_websocket_upgrade(req)):
            return super().handle_request(req, conn)
        problem = refusal(req.headers)
        if problem is not None:  # a bad handshake: an HTTP answer, then the connection closes
            util.write(conn.sock, problem)
            return False
        _, environ = wsgi.create(req, conn.sock, conn.client, conn.server, self.cfg)
        pipelined = conn.parser.unreader.take_buffered()
        conn.handed_off = True  # see finish_request: the socket is the WebSocket loop's now
        self.websockets.adopt(conn.sock, req, environ, conn.client, conn.server, pipelined)
        if self.cfg.accesslog:
            self.log.access_log.info('%s "GET %s" 101 (WebSocket)', environ.get("REMOTE_ADDR", "-"),
                                     req.path)
        return False

    def finish_request(self, conn, fs):
        if getattr(conn, "handed_off", False):
            self.nr_conns -= 1  # no longer gthread's connection: neither kept alive nor closed
            return
        if self._next_request_waiting(conn, fs):
            # The client sent its next request while this one was finishing (a busy
            # keep-alive client does): to the pool now, not after a pass of the poller, and
            # without gthread's round trip through it (socket made non-blocking, registered,
            # unregistered: three system calls, the first of them releasing the GIL).
            self.enqueue_req(conn)
            return
        super().finish_request(conn, fs)

    def _next_request_waiting(self, conn, fs) -> bool:
        """Whether the request thread kept ``conn`` alive and its next request is on the wire
        already (gthread's own path handles every other outcome)."""
        if not (self.takes_a_waiting_request_at_once and self.alive) or fs.cancelled():
            return False
        if fs.exception() is not None or fs.result() is not True:
            return False
        return _readable(conn.sock, self.cfg)

    def _keepalive_after(self, conn, keepalive):
        # gthread drains what the application left of the request body, bounding the drain
        # with the socket's timeout, set before and restored after: two system calls, each
        # releasing the GIL, on every request. A body read to its end (every GET's empty
        # one) leaves nothing to drain, and the connection is reusable as it is.
        if keepalive and _body_read_to_end(conn.parser.mesg):
            return True
        return super()._keepalive_after(conn, keepalive)


def _body_read_to_end(request) -> bool:
    """Whether nothing is left of ``request``'s body, neither on the socket nor buffered
    (what gunicorn's ``Parser.finish_body`` would find reading it: ``b""``)."""
    body = getattr(request, "body", None)
    reader = getattr(body, "reader", None)
    return (isinstance(reader, LengthReader) and reader.length == 0
            and body.buf.tell() == 0 and not body.failed)


def _readable(sock, cfg) -> bool:
    """Whether a kept-alive socket has bytes (or its end) waiting, without reading them."""
    if cfg.is_ssl:  # an SSL socket takes no flags; the poller finds out
        return False
    try:
        sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True  # a reset connection: the request thread reads the error and closes it
    return True


def is_websocket_upgrade(req) -> bool:
    """RFC 6455 section 4.1: a GET with ``Upgrade: websocket`` and ``Connection: upgrade``."""
    if req.method != "GET":
        return False
    headers = {name: value.lower() for name, value in req.headers
               if name in ("UPGRADE", "CONNECTION")}
    return (headers.get("UPGRADE") == "websocket"
            and "upgrade" in [token.strip() for token in headers.get("CONNECTION", "").split(",")])
