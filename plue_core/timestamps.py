"""Times as every API family writes them: RFC 3339 in UTC with a ``Z``, to the second
(``2024-06-23T10:30:00Z``). Rows store naive UTC; an aware time is converted first."""

from __future__ import annotations

import datetime

# Gitea writes its zero time where a time is missing (its structs are not pointers).
ZERO_TIME = "0001-01-01T00:00:00Z"
EPOCH = "1970-01-01T00:00:00Z"


def rfc3339(value: datetime.datetime | None) -> str | None:
    """``value`` as ``YYYY-MM-DDTHH:MM:SSZ``; None stays None (callers that want Gitea's zero
    time write ``rfc3339(value) or ZERO_TIME``)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"
