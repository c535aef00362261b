"""One pagination helper: Gitea's ``page``/``limit`` with ``Link`` and ``X-Total-Count``
headers, and RunnerHub's ``limit``/``offset`` with a ``pagination`` object."""

from __future__ import annotations

import dataclasses
import math
import urllib.parse

import peewee

from plue_core.errors import BadRequest
from plue_core.list_query import form_int
from plue_core.problems import problem


# SQLite's and PostgreSQL's OFFSET are 64-bit: a page past this is empty anyway.
_MAX_OFFSET = 2 ** 63 - 1


def _int_param(req, name: str, default: int, minimum: int) -> int:
    """RunnerHub's integer query parameter ``name``: not an integer, or below ``minimum``, is
    a 400 naming the parameter, the value and what was expected."""
    raw = req.get_param(name)
    if raw in (None, ""):
        return default
    expected = f"an integer of at least {minimum}"
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"query parameter {name!r} must be an integer, got {raw!r}",
                         details=[problem(name, raw, expected)]) from None
    if value < minimum:
        raise BadRequest(f"query parameter {name!r} must be at least {minimum}",
                         details=[problem(name, raw, expected)])
    return value


@dataclasses.dataclass(frozen=True)
class Page:
    page: int
    limit: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    @classmethod
    def from_request(cls, req, settings: dict) -> "Page":
        """Gitea semantics: ``page`` from 1, and as Gitea's ``GetListOptions`` (``FormInt``) a
        page of 0 or less, or one that is no integer, is page 1; a ``limit`` of 0 or less, or
        no integer, is the default (30), capped at 50. A page past any table (even past a
        64-bit offset) is simply empty."""
        page = max(form_int(req, "page"), 1)
        limit = form_int(req, "limit")
        limit = min(limit if limit > 0 else settings["default_limit"], settings["max_limit"])
        return cls(min(page, _MAX_OFFSET // limit), limit)

    def apply(self, query: peewee.SelectQuery) -> peewee.SelectQuery:
        return query.limit(self.limit).offset(self.offset)

    def set_headers(self, req, resp, total: int) -> None:
        """``X-Total-Count`` and an RFC 8288 ``Link`` header with next/prev/first/last."""
        resp.set_header("X-Total-Count", str(total))
        last = max(1, math.ceil(total / self.limit))
        links = []
        if self.page < last:
            links += [(self.page + 1, "next"), (last, "last")]
        if self.page > 1:
            links += [(1, "first"), (min(self.page - 1, last), "prev")]
        if links:
            resp.set_header("Link", ", ".join(f'<{_page_url(req, n, self.limit)}>; rel="{rel}"'
                                             for n, rel in links))
        resp.append_header("Access-Control-Expose-Headers", "Link, X-Total-Count")


def _page_url(req, page: int, limit: int) -> str:
    params = dict(req.params)
    params.update(page=str(page), limit=str(limit))
    return f"{req.prefix}{req.path}?{urllib.parse.urlencode(params, doseq=True)}"


def paginate(req, resp, query: peewee.SelectQuery, settings: dict, *,
             total: int | None = None) -> list:
    """Apply the request's page to ``query``, set the headers, return the rows. A caller that
    counted the rows already (for a body's ``total_count``) passes ``total``: one count."""
    page = Page.from_request(req, settings)
    if total is None:
        total = query.count()
    page.set_headers(req, resp, total)
    return list(page.apply(query))


@dataclasses.dataclass(frozen=True)
class OffsetPage:
    """RunnerHub's ``limit`` (default 50, max 100) and ``offset``."""

    limit: int
    offset: int

    @classmethod
    def from_request(cls, req, default_limit: int = 50, max_limit: int = 100) -> "OffsetPage":
        limit = _int_param(req, "limit", default_limit, 1)
        return cls(min(limit, max_limit), _int_param(req, "offset", 0, 0))

    def apply(self, query: peewee.SelectQuery) -> peewee.SelectQuery:
        return query.limit(self.limit).offset(self.offset)

    def pages(self, total: int) -> int:
        """How many pages of ``limit`` the ``total`` items fill."""
        return math.ceil(total / self.limit) if total else 0
