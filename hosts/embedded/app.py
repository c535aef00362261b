"""The example host: a tiny site of its own, with Plue mounted under ``/forge``.

Set Plue's ``base_url`` to the public URL including the prefix
(``http://127.0.0.1:8080/forge``) so the links Plue writes into bodies (``html_url``,
clone URLs) carry it too; ``Link`` pagination headers take it from ``SCRIPT_NAME`` anyway.
"""

from __future__ import annotations

from plue_core import create_app
from plue_core.config import Config, load_config

from plue_hosts.embedded.dispatcher import PrefixDispatcher

PREFIX = "/forge"

_HOME = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Example host</title></head>
<body><h1>An application that embeds Plue</h1>
<p>The forge lives under <a href="{prefix}/api/docs">{prefix}/</a>.</p></body></html>
"""


def homepage(prefix: str):
    """The host's own pages (here, one) as a WSGI app that links to Plue under ``prefix``."""
    page = _HOME.format(prefix=prefix).encode()

    def app(environ: dict, start_response) -> list[bytes]:
        if environ.get("PATH_INFO", "/") in ("", "/"):
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Length", str(len(page)))])
            return [page]
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]

    return app


def create_host_app(config: Config | None = None, *, prefix: str = PREFIX) -> PrefixDispatcher:
    """The host's WSGI app with Plue mounted under ``prefix``; ``host.plue_app`` is Plue's app."""
    plue = create_app(config if config is not None else load_config())
    host = PrefixDispatcher(homepage(prefix), {prefix: plue})
    host.plue_app = plue
    return host
