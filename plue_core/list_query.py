"""How Gitea's API (the ``/api/v1`` family) reads a list's query values: leniently.

A client written against Gitea sends what Gitea tolerates, so Plue reads these values as Gitea
does rather than refusing them. The other families (RunnerHub, Runner Pilot, tracked repos)
follow their own seeds and refuse bad values with a 400.
"""

from __future__ import annotations

import re

from plue_core.integers import INT64_MAX, INT64_MIN

# What Go's strconv.Atoi parses: an optional sign and ASCII decimal digits, nothing else.
_GO_INT = re.compile(r"[+-]?[0-9]+")


def form_int(req, name: str) -> int:
    """Gitea's ``ctx.FormInt``: the query value as ``strconv.Atoi`` reads it, its error
    ignored, so a value it cannot parse ("x", "1e3", "", absent) is 0 and one past 64 bits is
    clamped to the nearest 64-bit integer, as Atoi's range error still returns."""
    raw = req.get_param(name) or ""
    if not _GO_INT.fullmatch(raw):
        return 0
    return min(max(int(raw), INT64_MIN), INT64_MAX)


def list_state(req, *, otherwise: str, default: str = "open") -> str:
    """A list's ``state`` filter: ``open``, ``closed`` or ``all``; absent (or empty) is
    ``default``, and any other value is ``otherwise`` -- Gitea's issue and milestone lists read
    it as open, its pull list filters on open/closed only and so lists every state."""
    state = req.get_param("state") or default
    return state if state in ("open", "closed", "all") else otherwise


# What Go's strconv.ParseBool reads as true.
_GO_TRUE = frozenset(("1", "t", "T", "TRUE", "true", "True"))


def form_bool(req, name: str) -> bool:
    """Gitea's ``ctx.FormBool``: true only for what ``strconv.ParseBool`` reads as true; any
    other value, or none, is false (its error ignored)."""
    return (req.get_param(name) or "") in _GO_TRUE


def form_strings(req, name: str) -> list[str]:
    """Gitea's ``ctx.FormStrings``: every value of a repeated query parameter, as sent."""
    value = req.params.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
