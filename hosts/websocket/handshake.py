"""Who opens a WebSocket: the same ``authenticate`` hook every HTTP request goes through.

Browsers cannot set headers on a WebSocket, so a ``token`` query parameter (a RunnerHub JWT
or an access token) stands in for ``Authorization: Bearer <token>`` when no header is sent."""

from __future__ import annotations

import urllib.parse

import falcon

from plue_core.db import connection
from plue_core.errors import PlueError
from plue_core.identity import Identity


class HandshakeRefused(Exception):
    """The connection may not go on; ``code`` is the RunnerHub error code to report."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _request_for(environ: dict) -> falcon.Request:
    """A Falcon request for the handshake, its ``token`` parameter standing in for a missing
    ``Authorization`` header, so the hook reads credentials as for any request."""
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    environ = dict(environ, QUERY_STRING="")
    if query.get("token") and "HTTP_AUTHORIZATION" not in environ:
        environ["HTTP_AUTHORIZATION"] = "Bearer " + query["token"][0]
    return falcon.Request(environ)


def authenticate(ctx, environ: dict) -> Identity:
    """The caller of the handshake; blocking (database), run it in a thread."""
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
