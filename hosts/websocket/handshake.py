"""Who opens a WebSocket: the same ``authenticate`` hook every HTTP request goes through.

Browsers cannot set headers on a WebSocket, so a ``token`` query parameter (a RunnerHub JWT
or an access token) stands in for ``Authorization: Bearer <token>`` when no header is sent."""

from __future__ import annotations

import io
import urllib.parse

import falcon
from a2wsgi.wsgi import build_environ

from plue_core.db import connection
from plue_core.errors import PlueError
from plue_core.identity import Identity


class HandshakeRefused(Exception):
    """The connection may not go on; ``code`` is the RunnerHub error code to report."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _request_for(scope: dict) -> falcon.Request:
    """A Falcon request carrying the handshake's headers, so the hook reads them as usual."""
    headers = list(scope.get("headers", []))
    query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token") and not any(name == b"authorization" for name, _ in headers):
        headers.append((b"authorization", b"Bearer " + query["token"][0].encode("latin-1")))
    http_scope = dict(scope, type="http", method="GET", headers=headers,
                      http_version=scope.get("http_version", "1.1"), query_string=b"")
    return falcon.Request(build_environ(http_scope, io.BytesIO(b"")))


def authenticate(ctx, scope: dict) -> Identity:
    """The caller of the handshake in ``scope``; blocking (database), run it in a thread."""
    request = _request_for(scope)
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
