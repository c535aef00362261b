"""Gitea's JSON shapes for what git_hosting serves, built from rows and git objects.

Plain functions returning dicts (the Repository alone has ~70 fields); the marshmallow classes
in ``schemas/`` describe the same shapes for the OpenAPI document, and a test keeps the two
and Gitea's spec in agreement.
"""

from __future__ import annotations

import datetime

from plue_core import timestamps
from plue_core.timestamps import ZERO_TIME


def rfc3339(value: datetime.datetime | None, *, zero: str = ZERO_TIME) -> str:
    """Naive UTC (how rows store time) as RFC 3339 with a Z; Gitea writes a zero time, not null."""
    return timestamps.rfc3339(value) or zero


def omit_empty(body: dict, names: frozenset[str]) -> dict:
    """Gitea's ``json:",omitempty"``: each property in ``names`` that has no value (None) is
    left out rather than written as null; a strict client of Gitea's spec rejects null for an
    object. ``names`` mirror the tags of the Gitea struct the shape renders."""
    for name in names & body.keys():
        if body[name] is None:
            del body[name]
    return body


class Links:
    """The two URL roots every git object shape is built from."""

    __slots__ = ("api", "html")

    def __init__(self, hosting, repository):
        self.api = hosting.api_url(repository)
        self.html = hosting.html_url(repository)
