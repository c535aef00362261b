"""What the app reads back from PostgreSQL is what it wrote, whichever way a statement runs:
bound by the client (plain SQL) or prepared and bound by the server (a compiled hot query).
psycopg 3 replaced psycopg2 (docs/serving.md, "Round eleven"); these are the types Plue's
columns and reads use, and the driver's few differences are stated here."""

from __future__ import annotations

import datetime
import decimal

import peewee
import pytest

from plue_core.db import BaseModel, CompiledSelect, connection

MOMENT = datetime.datetime(2026, 12, 7, 16, 5, 4, 321000)  # naive UTC, as utcnow() gives


class Kinds(BaseModel):
    at = peewee.DateTimeField()
    flag = peewee.BooleanField()
    count = peewee.BigIntegerField()
    amount = peewee.DecimalField(max_digits=10, decimal_places=3)
    text = peewee.TextField()
    blob = peewee.BlobField()


@pytest.fixture
def kinds(ctx, pool):
    with connection(ctx.db):
        ctx.db.create_tables([Kinds])
        Kinds.create(at=MOMENT, flag=True, count=2 ** 40, amount=decimal.Decimal("12.345"),
                     text="50% 'quoted' \\ \N{SNOWMAN}", blob=b"\x00\xffbytes")
        yield Kinds
        ctx.db.drop_tables([Kinds])


def _plain_and_prepared(ctx, pool, build, *values):
    """The rows of ``build(*values)`` plain, then prepared (its first and a later call)."""
    compiled = CompiledSelect(build, *(type(value) for value in values))
    pool.prepare_statements = False
    plain = compiled.rows(*values)
    pool.prepare_statements = True
    return plain, compiled.rows(*values), compiled.rows(*values)


def test_a_row_reads_back_as_written_plain_and_prepared(ctx, pool, kinds):
    with connection(ctx.db):
        answers = _plain_and_prepared(ctx, pool, lambda text: Kinds.select().where(
            Kinds.text == text), "50% 'quoted' \\ \N{SNOWMAN}")
    for rows in answers:
        (row,) = rows
        assert (row.at, row.flag, row.count, row.amount, row.text) == (
            MOMENT, True, 2 ** 40, decimal.Decimal("12.345"), "50% 'quoted' \\ \N{SNOWMAN}")
        assert row.at.tzinfo is None and type(row.amount) is decimal.Decimal
        # psycopg2 gave a memoryview; psycopg 3 gives bytes (no Plue column is bytea).
        assert type(row.blob) is bytes and row.blob == b"\x00\xffbytes"


def test_json_arrays_and_a_zoned_time_read_back_alike(ctx, pool, kinds):
    # The shapes of Plue's reads: JSON built by the server (json_rows), arrays, an aware time.
    def build(name):
        return Kinds.select(
            peewee.fn.json_build_array(Kinds.at, Kinds.flag, Kinds.count, peewee.SQL("NULL")),
            peewee.SQL("ARRAY[1, 2]"), peewee.SQL("ARRAY['a', %s]", [name]),
            peewee.SQL("'2026-12-07 16:05:04+02'::timestamptz")).tuples()

    with connection(ctx.db):
        answers = _plain_and_prepared(ctx, pool, build, "b")
    for rows in answers:
        assert rows == [(["2026-12-07T16:05:04.321", True, 2 ** 40, None], [1, 2], ["a", "b"],
                         datetime.datetime(2026, 12, 7, 14, 5, 4, tzinfo=datetime.timezone.utc))]
        # psycopg2 gave a fixed offset, psycopg 3 the session's zone (UTC): the same instant.
        assert rows[0][3].utcoffset() == datetime.timedelta(0)
