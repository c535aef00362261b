"""A compiled ``.objects()`` read (a page's labels or assignees, each with the issue it belongs
to) builds its models without peewee's per-row keyword arguments once it has learnt its
columns (issue 13, round seven), and they are the models peewee builds: the same fields, the
same extra columns, nothing dirty."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import AccessToken, Account
from plue_core.db import CompiledSelect, connection, is_sqlite
from plue_core.testing import make_user

ACCOUNTS = CompiledSelect(
    lambda low: Account.select(Account, Account.id.alias("on_issue")).where(Account.id >= low)
    .order_by(Account.id).objects(), int)
TOKENS = CompiledSelect(
    lambda low: AccessToken.select(AccessToken, Account.name.alias("holder")).join(Account)
    .where(AccessToken.id >= low).order_by(AccessToken.id).objects(), int)


def _refuse(self, row):
    raise AssertionError("peewee's ModelObjectCursorWrapper.process_row was called")


def _same(found, expected, extra: str) -> None:
    assert [type(row) for row in found] == [type(row) for row in expected]
    assert [row.__data__ for row in found] == [row.__data__ for row in expected]
    assert [getattr(row, extra) for row in found] == [getattr(row, extra) for row in expected]
    assert all(not row._dirty and not row.__rel__ for row in found)


def test_compiled_objects_rows_are_peewees_without_its_row_processing(ctx, client, monkeypatch):
    ann, bob = make_user(ctx, "ann"), make_user(ctx, "bob")
    for user in (ann, bob):
        made = client.simulate_post(f"/api/v1/users/{user.name}/tokens",
                                    json={"name": "t", "scopes": ["all"]},
                                    headers=_basic(user.name))
        assert made.status_code == 201, made.text
    with connection(ctx.db):
        for compiled, extra in ((ACCOUNTS, "on_issue"), (TOKENS, "holder")):
            expected = list(compiled._build(1))  # built and read by peewee alone
            assert len(expected) >= 2
            learnt = compiled.rows(1)  # the first call learns the columns through peewee
            with monkeypatch.context() as patched:
                patched.setattr(peewee.ModelObjectCursorWrapper, "process_row", _refuse)
                again = compiled.rows(1)
            _same(learnt, expected, extra)
            _same(again, expected, extra)
            # Foreign keys read as peewee reads them: the id, and the row on access.
            if compiled is TOKENS:
                assert [token.user_id for token in again] == [ann.id, bob.id]
                assert [token.user.name for token in again] == ["ann", "bob"]


def _basic(user: str) -> dict:
    from plue_core.testing import basic_auth
    return basic_auth(user)


TOKENS_JOINED = CompiledSelect(
    lambda low: AccessToken.select(AccessToken, Account).join(Account)
    .where(AccessToken.id >= low).order_by(AccessToken.id), int)


def test_integer_and_text_columns_are_not_converted_again(ctx, client):
    """A compiled row skips peewee's converter where it would hand the driver's value back
    unchanged (an integer field's int, a text field's str); the rows are peewee's still."""
    import cProfile
    import pstats

    for name in ("ann", "bob"):
        make_user(ctx, name)
        made = client.simulate_post(f"/api/v1/users/{name}/tokens",
                                    json={"name": "t", "scopes": ["all"]}, headers=_basic(name))
        assert made.status_code == 201, made.text
    adapters = {(code.co_filename, code.co_firstlineno) for code in (
        peewee.IntegerField.adapt.__code__, peewee._StringField.adapt.__code__)}
    with connection(ctx.db):
        for compiled in (TOKENS_JOINED, ACCOUNTS):
            expected = list(compiled._build(1))
            compiled.rows(1)  # learns the columns
            profile = cProfile.Profile()
            found = profile.runcall(compiled.rows, 1)
            calls = {key[:2]: value[1] for key, value in pstats.Stats(profile).stats.items()}
            assert not {key for key in adapters if calls.get(key)}, calls
            assert [row.__data__ for row in found] == [row.__data__ for row in expected]
            if compiled is TOKENS_JOINED:
                assert [row.user.__data__ for row in found] == \
                    [row.user.__data__ for row in expected]


def test_which_converters_leave_a_value_unchanged():
    from plue_core.db import _unchanged_types

    none = type(None)
    assert _unchanged_types(Account.id.python_value) == (int, none)
    assert _unchanged_types(Account.name.python_value) == (str, none)
    assert _unchanged_types(Account.description.python_value) == (str, none)
    assert _unchanged_types(AccessToken.user.python_value) == (int, none)
    other = Account.alias()  # a model alias's field (a LEFT JOIN of a second account)
    assert _unchanged_types(other.id.python_value) == (int, none)
    assert _unchanged_types(other.is_admin.python_value) == (bool, none)
    assert _unchanged_types(other.uid.python_value) == ()
    # peewee's own converter maps NULL to None: times convert every other value, booleans
    # every value but a bool.
    assert _unchanged_types(Account.is_admin.python_value) == (bool, none)
    for converter in (Account.is_admin.python_value, Account.created_at.python_value):
        assert converter(None) is None
    assert _unchanged_types(Account.created_at.python_value) == (none,)
    for converter in (Account.uid.python_value, None, int):  # a converter of its own, or none
        assert _unchanged_types(converter) == ()


_MISSING = Account.alias()
ACCOUNTS_WITH_NO_MATCH = CompiledSelect(
    lambda low: Account.select(Account.id, _MISSING.is_admin, _MISSING.created_at, _MISSING.name)
    .join(_MISSING, peewee.JOIN.LEFT_OUTER, on=(_MISSING.id > Account.id + low), attr="missing")
    .order_by(Account.id), int)  # no account's id is ``low`` above another's


def test_a_left_joins_missing_row_converts_no_null(ctx):
    """The NULL columns of a LEFT JOIN's missing row stay None without a converter call (a
    pull GET's merger and review requests, issue 13); the rows are peewee's."""
    import cProfile
    import pstats

    make_user(ctx, "ann")
    converters = {(code.co_filename, code.co_firstlineno)
                  for code in (peewee.Field.python_value.__code__,)}
    with connection(ctx.db):
        expected = list(ACCOUNTS_WITH_NO_MATCH._build(1 << 40))
        ACCOUNTS_WITH_NO_MATCH.rows(1 << 40)  # learns the columns
        profile = cProfile.Profile()
        found = profile.runcall(ACCOUNTS_WITH_NO_MATCH.rows, 1 << 40)
    calls = {key[:2]: value[1] for key, value in pstats.Stats(profile).stats.items()}
    assert not {key for key in converters if calls.get(key)}, calls
    assert expected and [row.missing for row in expected] == [None] * len(expected)
    assert [(row.__data__, row.missing) for row in found] == \
        [(row.__data__, row.missing) for row in expected]


# Every token of one account, joined with it: the account's columns repeat on each row.
TOKENS_OF = CompiledSelect(
    lambda user_id: AccessToken.select(AccessToken, Account).join(Account)
    .where(AccessToken.user == user_id).order_by(AccessToken.id), int)
ACCOUNTS_OF_TOKENS = CompiledSelect(
    lambda user_id: Account.select(Account, AccessToken.id.alias("on_issue")).join(AccessToken)
    .where(AccessToken.user == user_id).order_by(AccessToken.id).objects(), int)


def test_a_statement_parses_each_repeated_time_and_uuid_once(ctx, client):
    """A page repeats its people (the poster and assignees of 30 issues are a few accounts):
    a compiled read parses each distinct text time and UUID once per statement, and its rows
    are still peewee's, each its own model."""
    import cProfile
    import pstats
    import uuid

    ann = make_user(ctx, "ann")
    for n in range(4):
        made = client.simulate_post("/api/v1/users/ann/tokens", headers=_basic("ann"),
                                    json={"name": f"t{n}", "scopes": ["all"]})
        assert made.status_code == 201, made.text
    parsers = {(code.co_filename, code.co_firstlineno, code.co_name): name for name, code in (
        ("time", peewee.format_date_time.__code__), ("uuid", uuid.UUID.__init__.__code__))}
    with connection(ctx.db):
        for compiled, models_of in ((TOKENS_OF, lambda row: (row, row.user)),
                                    (ACCOUNTS_OF_TOKENS, lambda row: (row,))):
            expected = list(compiled._build(ann.id))
            compiled.rows(ann.id)  # learns the columns
            profile = cProfile.Profile()
            found = profile.runcall(compiled.rows, ann.id)
            calls = {parsers[key]: value[1] for key, value in pstats.Stats(profile).stats.items()
                     if key in parsers}
            # What the rows hold: each distinct time per column, and ann's uid.
            times = {(type(model), field.name, model.__data__[field.name])
                     for row in expected for model in models_of(row)
                     for field in type(model)._meta.sorted_fields
                     if isinstance(field, peewee.DateTimeField)
                     and model.__data__.get(field.name) is not None}
            assert len(found) == 4
            if is_sqlite(ctx.db):  # (PostgreSQL's driver hands back times and UUIDs parsed)
                assert calls == {"time": len(times), "uuid": 1}, calls
                assert len(times) < 4 * len(models_of(found[0])) + 1
            for row, peewees in zip(found, expected):
                assert [model.__data__ for model in models_of(row)] == \
                    [model.__data__ for model in models_of(peewees)]
            assert len({id(models_of(row)[-1]) for row in found}) == 4


def test_which_converters_hand_a_null_back():
    from plue_core.db import _keeps_none

    for converter in (Account.id.python_value, Account.name.python_value,
                      Account.created_at.python_value, Account.uid.python_value,
                      AccessToken.user.python_value):
        assert _keeps_none(converter)
    for converter in (None, int, lambda value: value or 0):
        assert not _keeps_none(converter)


def test_a_flag_costs_no_converter_call(ctx, monkeypatch):
    """A BooleanField's column: PostgreSQL's bool is kept as it is, SQLite's 0 or 1 goes
    through ``bool`` alone, not peewee's ``python_value`` (two calls) for each of the
    twenty-odd flags of a repository row with its owner (issue 13)."""
    make_user(ctx, "ann")
    converted = []
    python_value = peewee.Field.python_value

    def counting(field, value):
        if type(field) is peewee.BooleanField:
            converted.append(field.name)
        return python_value(field, value)

    monkeypatch.setattr(peewee.Field, "python_value", counting)
    flags = CompiledSelect(lambda low: Account.select().where(Account.id >= low)
                           .order_by(Account.id), int)
    joined = CompiledSelect(lambda low: AccessToken.select(AccessToken, Account).join(Account)
                            .where(Account.id >= low), int)
    with connection(ctx.db):
        for compiled in (ACCOUNTS, flags, joined):
            compiled.rows(1)  # learns its columns through peewee
            converted.clear()
            rows = compiled.rows(1)
            assert converted == [], compiled
        [ann] = flags.rows(1)
        assert ann.active is True and ann.is_admin is False
