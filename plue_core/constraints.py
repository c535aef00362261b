"""Unique constraints as the last word on races: on SQLite writes are serialized up front
(``BEGIN IMMEDIATE``), but on PostgreSQL two requests can both pass an "is it free?" check;
the loser's unique violation must be the same 422 the check would have given, not a 500."""

from __future__ import annotations

import contextlib

import peewee

from plue_core.db import write_transaction
from plue_core.errors import Invalid


@contextlib.contextmanager
def unique_write(message: str, error: type[Invalid] = Invalid):
    """A write transaction whose unique violation (a lost race) becomes ``error(message)``:
    the error the check before the write gives."""
    try:
        with write_transaction():
            yield
    except peewee.IntegrityError:
        raise error(message) from None
