"""Integers from the URL, bounded as the database's 64-bit columns are.

SQLite cannot bind an integer past int64 (``OverflowError``) and PostgreSQL cannot compare one,
so every id in a path goes through the route converter ``id`` (``{index:id}``) and every
integer query parameter through :meth:`PlueRequest.get_param_as_int` (or, read by hand,
:func:`parse_id` and :func:`parse_int64`): one home for the bounds.
"""

from __future__ import annotations

import falcon
from falcon.routing import BaseConverter

from plue_core.errors import Invalid, NotFound

INT64_MIN = -2 ** 63
INT64_MAX = 2 ** 63 - 1


def is_digits(text: str) -> bool:
    """Only ASCII 0-9: ``str.isdigit`` also admits "²" and other digits ``int`` refuses."""
    return text.isascii() and text.isdigit()


class IdConverter(BaseConverter):
    """``{name:id}``: a database id, written as decimal digits. A number past int64 names no
    row: 404 saying so (not "no route"); anything else that is not digits matches no route."""

    def convert(self, value: str) -> int | None:
        if not is_digits(value):
            return None
        number = int(value)
        if number > INT64_MAX:
            raise NotFound(f"{value} does not exist: ids are 64-bit integers "
                           f"(at most {INT64_MAX})")
        return number


def parse_id(value) -> int | None:
    """For a path segment that is an id or a name (Gitea's labels, milestones): the id, or
    None when ``value`` is not one (a number past int64 is no id either)."""
    text = str(value)
    if not is_digits(text) or int(text) > INT64_MAX:
        return None
    return int(text)


def parse_int64(text: str) -> int | None:
    """A query value that is a signed 64-bit integer (ASCII digits, an optional sign), or None:
    the database can neither bind nor compare anything wider."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not is_digits(digits):
        return None
    number = int(text)
    return number if INT64_MIN <= number <= INT64_MAX else None


class PlueRequest(falcon.Request):
    """Falcon's request; integer query parameters are 64-bit unless a narrower range is asked."""

    def get_param_as_int(self, name, required=False, min_value=None, max_value=None,
                         store=None, default=None):
        value = super().get_param_as_int(name, required=required, min_value=min_value,
                                         max_value=max_value, store=store, default=default)
        if value is not None and value is not default and not INT64_MIN <= value <= INT64_MAX:
            raise Invalid(f"query parameter {name!r} must be a 64-bit integer "
                          f"({INT64_MIN} to {INT64_MAX}), got {value}")
        return value


def install(app: falcon.App) -> None:
    app.router_options.converters["id"] = IdConverter
