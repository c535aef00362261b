"""Unique constraints as the last word on races: on SQLite writes are serialized up front
(``BEGIN IMMEDIATE``), but on PostgreSQL two requests can both pass an "is it free?" check;
the loser's unique violation must be the same 4xx the check would have given, not a 500."""

from __future__ import annotations

import contextlib
from typing import Callable, TypeVar

import peewee

from plue_core.db import is_sqlite, write_transaction
from plue_core.errors import Invalid, PlueError

T = TypeVar("T")


@contextlib.contextmanager
def unique_write(message: str, error: type[PlueError] = Invalid):
    """A write transaction whose unique violation (a lost race) becomes ``error(message)``:
    the error the write's own "is it free?" check raises (Gitea's 422 unless it says 409 or
    403 for that resource)."""
    try:
        with write_transaction():
            yield
    except peewee.IntegrityError:
        raise error(message) from None


def create_or_update(write: Callable[[], T]) -> T:
    """Run ``write`` (a create-or-replace that looks for its row first, in its own write
    transaction); when a concurrent request inserted the row between the look and the
    insert, run it once more: it now finds that row and replaces it, as it would have had
    the two requests come one after the other."""
    try:
        return write()
    except peewee.IntegrityError:
        return write()


def still_there(model: type[peewee.Model], row_id: int) -> bool:
    """Inside a write transaction, before deleting a row (and moving the counters that count
    it) that a concurrent request may have deleted first: whether the row still exists,
    locked until the transaction ends (PostgreSQL; SQLite's write transaction holds the whole
    database already). Two deletions at once then delete and count once; the second is a 404."""
    query = model.select(model._meta.primary_key).where(model._meta.primary_key == row_id)
    if not is_sqlite(model._meta.database):
        query = query.for_update()
    return query.first() is not None
