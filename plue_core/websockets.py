"""WebSocket endpoints that plugins contribute (hook ``register_websocket_endpoints``), and
the two things every endpoint needs from the kernel: who opened the connection, and at most N
connections per user.

The host (plue_hosts.worker) owns the sockets: it answers the RFC 6455 handshake of a path a
plugin declared, runs the connection on its per-worker asyncio loop and closes everything when
the worker stops. What is said on the connection is the plugin's. See docs/websocket.md
("A WebSocket endpoint of your own") and docs/hooks.md."""

from __future__ import annotations

import dataclasses
import fcntl
import os
import pathlib
import urllib.parse
from typing import Any, Callable

import falcon

from plue_core.db import connection
from plue_core.errors import PlueError, StartupError
from plue_core.identity import Identity


@dataclasses.dataclass(frozen=True)
class WebSocketEndpoint:
    """A WebSocket path and the factory of its per-process handler.

    ``open(ctx)`` is called once in each worker process that serves the path, when the worker
    starts (never in the master: no socket or thread crosses a fork). It returns the handler,
    an object with two coroutine methods, both run on the worker's WebSocket loop:

    - ``serve(environ, receive, send)``: one connection, in ASGI WebSocket messages (the first
      received is ``websocket.connect``; answer ``websocket.accept`` or ``websocket.close``).
      ``environ`` is the handshake's WSGI environ (its headers and query string, for
      :func:`handshake_identity`). Return when the connection is over.
    - ``stop()``: the worker is stopping: send each open connection a close (1001, going
      away) and end the handler's background work. The host then waits a few seconds for the
      connections to finish.
    """

    path: str
    open: Callable[[Any], Any]

    def __post_init__(self):
        if not self.path.startswith("/") or (self.path != "/" and self.path.endswith("/")):
            raise StartupError(f"WebSocket endpoint path {self.path!r} must start with '/' and "
                               "not end with one")

    @property
    def key(self) -> str:
        """The path as the host matches it (a trailing slash in a request is ignored)."""
        return self.path


class HandshakeRefused(Exception):
    """The connection may not go on; ``code`` names why (the endpoint says it its own way)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _request_for(environ: dict) -> falcon.Request:
    """A Falcon request for the handshake, its ``token`` parameter standing in for a missing
    ``Authorization`` header (browsers cannot set headers on a WebSocket)."""
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    environ = dict(environ, QUERY_STRING="")
    if query.get("token") and "HTTP_AUTHORIZATION" not in environ:
        environ["HTTP_AUTHORIZATION"] = "Bearer " + query["token"][0]
    return falcon.Request(environ)


def handshake_identity(ctx, environ: dict) -> Identity:
    """The caller of a handshake, through the same ``authenticate`` hook as every HTTP
    request (a ``token`` query parameter stands in for ``Authorization: Bearer``). Raises
    :class:`HandshakeRefused` (``AUTHENTICATION_REQUIRED``) for missing or wrong credentials.
    Blocking (database): run it in a thread."""
    request = _request_for(environ)
    with connection(ctx.db):
        try:
            identity = ctx.plugins.hook.authenticate(ctx=ctx, req=request)
        except PlueError as error:
            raise HandshakeRefused("AUTHENTICATION_REQUIRED", error.message) from None
    if identity is None:
        raise HandshakeRefused("AUTHENTICATION_REQUIRED",
                               "authentication required: send 'Authorization: Bearer <jwt>' or, "
                               "from a browser, the JWT as the 'token' query parameter")
    return identity


class ConnectionSlots:
    """At most ``per_user`` concurrent connections per user id, across every worker of a host.

    Each connection holds an exclusive ``flock`` on one of the user's slot files in
    ``directory``. The kernel releases a lock when its holder closes the file or dies, so a
    crashed worker never leaks a slot, and no table or cleanup job is needed. The limit is per
    host: workers on another machine count their own connections."""

    def __init__(self, directory: pathlib.Path, per_user: int):
        self.directory = directory
        self.per_user = per_user

    def acquire(self, user_id: int) -> int | None:
        """A held slot (a file descriptor to pass to :meth:`release`), or None if all are taken."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for index in range(self.per_user):
            descriptor = os.open(self.directory / f"user-{user_id}.{index}.lock",
                                 os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            return descriptor
        return None

    @staticmethod
    def release(descriptor: int) -> None:
        """Give the slot back (closing the file drops its lock)."""
        os.close(descriptor)
