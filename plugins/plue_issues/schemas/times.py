"""Times on the wire: RFC 3339 in UTC with a ``Z``; ``null`` where Gitea leaves a time unset
(``closed_at``, ``due_date``, ``due_on``). Incoming times may carry any offset."""

from __future__ import annotations

import datetime

from marshmallow import fields

from plue_core.errors import Invalid
from plue_core.timestamps import naive_utc, parse_rfc3339, rfc3339


class Time(fields.Field):
    def _serialize(self, value, attr, obj, **kwargs):
        return rfc3339(value)


class UtcDateTime(fields.DateTime):
    """An RFC 3339 date-time in a request body, stored as naive UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        return naive_utc(super()._deserialize(value, attr, data, **kwargs))


def parse_query_time(req, name: str) -> datetime.datetime | None:
    """``since`` / ``before`` query parameters: RFC 3339, else 422 (Gitea)."""
    raw = req.get_param(name)
    if not raw:
        return None
    try:
        return parse_rfc3339(raw)
    except ValueError:
        raise Invalid(f"query parameter {name!r} must be an RFC 3339 date-time such as "
                      f"2024-01-31T12:00:00Z, got {raw!r}") from None
