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
    if value.tzinfo is not None:  # rows' times are naive already: no call for them (hot path)
        value = naive_utc(value)
    return value.replace(microsecond=0).isoformat() + "Z"


def naive_utc(value: datetime.datetime | None) -> datetime.datetime | None:
    """``value`` as rows store time: naive UTC (an aware time is converted, a naive one is
    taken as UTC already); None stays None. ValueError for a time that is not in the years 1
    to 9999 once in UTC (``0001-01-01T00:00:00+01:00``), which no datetime can hold."""
    if value is not None and value.tzinfo is not None:
        try:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        except OverflowError:
            raise ValueError(f"{value.isoformat()} is outside the years 1 to 9999 in UTC") from None
    return value


def parse_rfc3339(text: str) -> datetime.datetime:
    """An RFC 3339 / ISO 8601 time (``Z`` or an offset; naive means UTC) as naive UTC.

    Lenient where clients are: up to nine fractional digits (Python takes six; Gitea's and
    .NET's logs write seven), and a space where a query string decoded the offset's ``+``.
    Raises ValueError; each caller turns it into its family's 4xx naming the field."""
    value = text.strip()
    date, separator, clock = value.partition("T")
    if separator:
        clock = clock.replace(" ", "+")
    if clock.endswith(("Z", "z")):
        clock = clock[:-1] + "+00:00"
    head, dot, rest = clock.partition(".")
    if dot:
        digits = "".join(c for c in rest if c.isdigit())
        clock = f"{head}.{digits[:6]}{rest[len(digits):]}"
    return naive_utc(datetime.datetime.fromisoformat(f"{date}{separator}{clock}"))


def unix_seconds(value: datetime.datetime) -> int:
    """A naive-UTC (or aware) time as Unix seconds."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return int(value.timestamp())
