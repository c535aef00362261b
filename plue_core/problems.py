"""What was wrong with a request, field by field: seed 002's error ``details``
``{"field": "repository", "value": "invalid-repo", "expected": "owner/repo format"}``.

Services and validators attach a list of problems to an error (``details=[problem(...)]``);
each API family renders it in its own shape (``plue_core.families``): RunnerHub as the first
problem's object plus ``errors`` listing all, Gitea and the bare families as
``"field: expected"`` strings."""

from __future__ import annotations

import json
import re
from typing import Any

# Never echoed back: what a client sends under these names is a credential.
_SECRET_NAME = re.compile(r"pass|secret|token|credential|private", re.IGNORECASE)
_MAX_ECHO = 200  # characters of JSON; a longer value is not repeated in the error
MISSING = object()


class Problem(dict):
    """One failing field: ``field`` (dotted path), ``value`` (what was received, when it may
    be echoed) and ``expected``."""

    def __str__(self) -> str:
        return f"{self['field']}: {self['expected']}"


def problem(field: str, value: Any = MISSING, expected: str = "") -> Problem:
    """A problem; ``value`` is left out when not given, when the field's name says it is a
    secret, and when it is too long to echo."""
    found = Problem(field=field)
    if value is not MISSING and not _SECRET_NAME.search(field) and _short(value):
        found["value"] = value
    found["expected"] = expected
    return found


def _short(value: Any) -> bool:
    try:
        return len(json.dumps(value, default=str)) <= _MAX_ECHO
    except (TypeError, ValueError):
        return False


def problems_in(details: Any) -> list[Problem]:
    """The problems among an error's details (a problem, or a list holding some)."""
    if isinstance(details, Problem):
        return [details]
    if isinstance(details, list):
        return [d for d in details if isinstance(d, Problem)]
    return []
