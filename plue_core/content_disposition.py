"""``Content-Disposition`` for a file of any name (RFC 6266, with RFC 5987's ``filename*``).

A header must be Latin-1 for WSGI, and a quote in a quoted-string ends it: a name outside
ASCII or holding ``"`` would either crash the server or let the name add header parameters.
So ``filename=`` gets an ASCII stand-in and ``filename*=`` the exact name, percent-encoded.
"""

from __future__ import annotations

import urllib.parse


def _ascii_stand_in(name: str) -> str:
    return "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in name)


def content_disposition(disposition: str, filename: str) -> str:
    """``inline`` or ``attachment`` with ``filename``; ``filename*`` when it is not plain ASCII."""
    fallback = _ascii_stand_in(filename)
    value = f'{disposition}; filename="{fallback}"'
    if fallback != filename:
        value += "; filename*=UTF-8''" + urllib.parse.quote(filename, safe="")
    return value
