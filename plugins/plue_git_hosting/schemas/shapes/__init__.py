"""Gitea's JSON shapes for what git_hosting serves, built from rows and git objects.

Each body is one :class:`plue_core.shapes.Shape` (``REPOSITORY_SHAPE``, ``BRANCH_SHAPE``…) that
renders it and documents it in the OpenAPI document; the plain functions beside each shape
(``repository_json``, ``branch_json``…) gather what a body needs and call it.
"""

from __future__ import annotations

import datetime

from plue_core import timestamps
from plue_core.timestamps import ZERO_TIME


def rfc3339(value: datetime.datetime | None, *, zero: str = ZERO_TIME) -> str:
    """Naive UTC (how rows store time) as RFC 3339 with a Z; Gitea writes a zero time, not null."""
    return timestamps.rfc3339(value) or zero


class Links:
    """The two URL roots every git object shape is built from."""

    __slots__ = ("api", "html")

    def __init__(self, hosting, repository):
        self.api = hosting.api_url(repository)
        self.html = hosting.html_url(repository)
