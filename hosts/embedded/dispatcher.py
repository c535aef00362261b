"""A plain WSGI dispatcher: mount WSGI apps under URL prefixes, send the rest elsewhere."""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


class PrefixDispatcher:
    """Requests under a mount prefix go to that app with the prefix moved from ``PATH_INFO`` to
    ``SCRIPT_NAME`` (so the app builds its own links with the prefix); others go to ``fallback``."""

    def __init__(self, fallback: WSGIApp, mounts: Mapping[str, WSGIApp]):
        self.fallback = fallback
        # Longest prefix first, so /forge/admin would win over /forge.
        self.mounts = sorted(((prefix.rstrip("/"), app) for prefix, app in mounts.items()),
                             key=lambda mount: -len(mount[0]))

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        for prefix, app in self.mounts:
            if path == prefix or path.startswith(prefix + "/"):
                environ = dict(environ, SCRIPT_NAME=environ.get("SCRIPT_NAME", "") + prefix,
                               PATH_INFO=path[len(prefix):] or "/")
                return app(environ, start_response)
        return self.fallback(environ, start_response)
