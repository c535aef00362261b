"""``json_rows`` carries a read's rows as one JSON column of another read (the issue GET's
labels and assignees, issue 13) and ``rows_from_json`` gives back the models a read of those
rows makes: every field converted alike (times to the microsecond, UUIDs, booleans, NULLs,
text), in the read's order, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime

import peewee

from plue_core.accounts.models import AccessToken, Account
from plue_core.db import connection, json_rows, rows_from_json
from plue_core.testing import make_user


def _carried(query, source, model):
    """``query``'s rows read back from the JSON column of a one-row outer read."""
    column = json_rows(query, source).alias("carried")
    value = Account.select(column).where(Account.id == Account.select(
        peewee.fn.MIN(Account.id))).scalar()
    return rows_from_json(value, model)


def test_rows_carried_as_json_are_the_rows_read(ctx):
    ann, bob, cid = (make_user(ctx, name) for name in ("ann", "bob", "cid"))
    with connection(ctx.db):
        Account.update(last_login=datetime.datetime(2026, 12, 7, 9, 30, 1, 250),
                       description='é ✓ "quoted" \\ [1, 2]', lower_email=None,
                       is_admin=True).where(Account.id == bob.id).execute()
        AccessToken.create(user=cid.id, name="t", token_hash="h" * 64, token_last_eight="12345678",
                           scopes="all")
        # Newest first: not the order of the ids, which the carried rows must keep.
        query = Account.select().where(Account.id.in_([ann.id, bob.id, cid.id])).order_by(
            Account.id.desc())
        expected = list(query)
        found = _carried(query, Account, Account)
        assert [row.__data__ for row in found] == [row.__data__ for row in expected]
        assert found[1].last_login.microsecond == 250 and found[1].is_admin is True
        assert all(type(row) is Account and not row._dirty for row in found)

        # An alias of the model (the outer read joins it too); a foreign key holds its id.
        alias = Account.alias()
        found = _carried(alias.select().where(alias.id == cid.id).order_by(alias.id), alias,
                         Account)
        assert [row.__data__ for row in found] == [Account.get_by_id(cid.id).__data__]
        tokens = AccessToken.select().where(AccessToken.user == cid.id).order_by(AccessToken.id)
        found = _carried(tokens, AccessToken, AccessToken)
        assert [row.__data__ for row in found] == [row.__data__ for row in tokens]
        assert found[0].user.name == "cid"

        # No rows: NULL on PostgreSQL, [] on SQLite; no model either way.
        assert _carried(Account.select().where(Account.id < 0).order_by(Account.id),
                        Account, Account) == []
