"""A page of stargazers, watchers or a user's starred repositories costs what the page costs on
10,000 rows: as many statements as on a few, and on SQLite the marks are read through their
indexes, in the page's order, never by scanning or sorting the table."""

from __future__ import annotations

import uuid

import pytest

from plue_core.accounts.models import Account
from plue_core.db import connection, is_sqlite
from plue_core.testing import query_plan, recorded_statements
from plue_git_hosting.models import Repository, Star, Watch

ROWS = 10_000


def _statements(forge, path: str, user: str = "alice") -> list[tuple[str, tuple]]:
    with recorded_statements(forge.ctx.db, with_params=True,
                             without_token_touches=True) as statements:
        response = forge.get(path, params={"page": 2, "limit": 30}, as_user=user)
    assert response.status_code == 200, response.text
    assert len(response.json) == 30
    return statements


def _copies(model, template, count: int, change) -> list[int]:
    """``count`` copies of ``template`` (a row), each changed by ``change(n)``; their ids."""
    data = {key: value for key, value in template.__data__.items() if key != "id"}
    first = model.select(model.id).order_by(model.id.desc()).first().id + 1
    rows = [{**data, **change(n)} for n in range(count)]
    for start in range(0, count, 500):
        model.insert_many(rows[start:start + 500]).execute()
    return list(range(first, first + count))


def _grow_marks(forge, model, count: int) -> None:
    """``count`` more users marking ``alice/demo``."""
    with connection(forge.ctx.db), forge.ctx.db.atomic():
        alice = Account.get(Account.lower_name == "alice")
        stamp = uuid.uuid4().hex[:8]
        ids = _copies(Account, alice, count, lambda n: {
            "uid": uuid.uuid4(), "name": f"u{stamp}{n}", "lower_name": f"u{stamp}{n}",
            "lower_email": f"u{stamp}{n}@example.com", "email": f"u{stamp}{n}@example.com"})
        demo = Repository.get(Repository.lower_name == "demo")
        for start in range(0, count, 500):
            model.insert_many([{"user": user_id, "repository": demo.id}
                               for user_id in ids[start:start + 500]]).execute()


def _grow_starred(forge, count: int) -> None:
    """``count`` more public repositories of alice's, all starred by carol."""
    with connection(forge.ctx.db), forge.ctx.db.atomic():
        demo = Repository.get(Repository.lower_name == "demo")
        stamp = uuid.uuid4().hex[:8]
        ids = _copies(Repository, demo, count, lambda n: {
            "name": f"r{stamp}{n}", "lower_name": f"r{stamp}{n}"})
        carol = Account.get(Account.lower_name == "carol")
        for start in range(0, count, 500):
            Star.insert_many([{"user": carol.id, "repository": repository_id}
                              for repository_id in ids[start:start + 500]]).execute()


def _reads_of(statements, table: str):
    return [(sql, params) for sql, params in statements
            if f'FROM "{table}"' in sql or f'JOIN "{table}"' in sql]


def _assert_indexed(forge, sql: str, params) -> None:
    plan = query_plan(forge.ctx.db, sql, params)
    assert not [line for line in plan if line.startswith("SCAN")
                and "COVERING INDEX" not in line], plan
    assert not [line for line in plan if "TEMP B-TREE" in line], plan


@pytest.mark.parametrize("model, path", [(Star, "/repos/alice/demo/stargazers"),
                                         (Watch, "/repos/alice/demo/subscribers")])
def test_a_page_of_a_repositorys_marks_reads_its_index_in_order(forge, model, path):
    forge.create_repo("demo")
    _grow_marks(forge, model, 60)
    small = _statements(forge, path)
    _grow_marks(forge, model, ROWS)
    large = _statements(forge, path)
    assert len(small) == len(large), [sql[:100] for sql, _ in large]
    if not is_sqlite(forge.ctx.db):
        return  # the plans below are SQLite's
    table = model._meta.table_name
    for sql, params in _reads_of(large, table):
        _assert_indexed(forge, sql, params)


def test_a_page_of_a_users_starred_repositories_reads_the_stars_index_in_order(forge):
    forge.create_repo("demo")
    _grow_starred(forge, 60)
    small = _statements(forge, "/users/carol/starred")
    _grow_starred(forge, ROWS)
    large = _statements(forge, "/users/carol/starred")
    assert len(small) == len(large), [sql[:100] for sql, _ in large]
    if not is_sqlite(forge.ctx.db):
        return
    reads = _reads_of(large, "repository_star")
    assert len(reads) == 2, reads  # the total and the page
    for sql, params in reads:
        _assert_indexed(forge, sql, params)
