"""Values remembered while one change is made, in this thread: what a change reads several
times — a push's repository row, the webhooks that may hear its events — is read once and
handed to every plugin that hears the change.

The code making the change opens ``scope()`` inside its transaction, around the work and the
events it publishes; values put inside are gone when the block ends, however it ends (so a
rolled-back change leaves nothing behind). Outside every scope nothing is remembered. Scopes
nest: ``get`` looks from the innermost outwards. Whoever writes what a value stands for
drops it (``drop``) in the same breath.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator

_local = threading.local()
_MISSING = object()


def _scopes() -> list[dict]:
    scopes = getattr(_local, "scopes", None)
    if scopes is None:
        scopes = _local.scopes = []
    return scopes


@contextlib.contextmanager
def scope() -> Iterator[None]:
    """Remember what is put inside the block until it ends (call inside the transaction)."""
    scopes = _scopes()
    scopes.append({})
    try:
        yield
    finally:
        scopes.pop()


def get(key, default=None):
    """The value put under ``key`` in an open scope, else ``default``."""
    for values in reversed(_scopes()):
        found = values.get(key, _MISSING)
        if found is not _MISSING:
            return found
    return default


def put(key, value) -> None:
    """Remember ``value`` until the innermost open scope ends (nothing outside a scope)."""
    scopes = _scopes()
    if scopes:
        scopes[-1][key] = value


def drop(key) -> None:
    """Forget ``key`` in every open scope (what it stood for was just written)."""
    for values in _scopes():
        values.pop(key, None)


def drop_where(test) -> None:
    """Forget every key for which ``test(key)`` is true."""
    for values in _scopes():
        for key in [key for key in values if test(key)]:
            del values[key]
