"""Times in query parameters: RFC 3339 with any offset. (Bodies read them with
``plue_core.validation.UtcDateTime``; responses write them with
``plue_core.timestamps.rfc3339``; see ``shapes.py``.)"""

from __future__ import annotations

import datetime

from plue_core.errors import Invalid
from plue_core.timestamps import parse_rfc3339


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
