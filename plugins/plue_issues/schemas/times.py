"""Times in requests: RFC 3339 with any offset, stored as naive UTC. (Responses write them
with ``plue_core.timestamps.rfc3339``; see ``shapes.py``.)"""

from __future__ import annotations

import datetime

from marshmallow import fields

from plue_core.errors import Invalid


def to_naive_utc(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment


class UtcDateTime(fields.DateTime):
    """An RFC 3339 date-time in a request body, stored as naive UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        return to_naive_utc(super()._deserialize(value, attr, data, **kwargs))


def parse_query_time(req, name: str) -> datetime.datetime | None:
    """``since`` / ``before`` query parameters: RFC 3339, else 422 (Gitea)."""
    raw = req.get_param(name)
    if not raw:
        return None
    try:
        return to_naive_utc(datetime.datetime.fromisoformat(raw.replace(" ", "+")))
    except ValueError:
        raise Invalid(f"query parameter {name!r} must be an RFC 3339 date-time such as "
                      f"2024-01-31T12:00:00Z, got {raw!r}") from None
