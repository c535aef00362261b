"""A page of a repository's releases costs what the page costs, not what the repository holds:
the same statements on 10,000 releases, and on SQLite the page walks the
``(repository, created_at)`` index in its order (newest first) without sorting the releases."""

from __future__ import annotations

import datetime

import pytest

from plue_core.db import connection, is_sqlite
from plue_core.testing import query_plan, recorded_statements
from plue_releases.models import Release


def _statements(forge, user, query: str) -> list[tuple[str, tuple]]:
    with recorded_statements(forge.ctx.db, with_params=True,
                             without_token_touches=True) as statements:
        response = forge.get("/repos/alice/demo/releases", as_user=user,
                             query_string=query)
    assert response.status_code == 200, response.text
    assert len(response.json) == 30
    return statements


def _grow(forge, count: int) -> None:
    """``count`` more releases of ``alice/demo`` (every fifth a draft), copies of its first."""
    with connection(forge.ctx.db), forge.ctx.db.atomic():
        first = Release.select().order_by(Release.id).first().__data__
        rows = [{**{key: value for key, value in first.items() if key != "id"},
                 "tag_name": f"grown-{count}-{n}", "is_draft": n % 5 == 0,
                 "created_at": first["created_at"] - datetime.timedelta(seconds=n)}
                for n in range(1, count + 1)]
        for start in range(0, count, 500):
            Release.insert_many(rows[start:start + 500]).execute()


@pytest.mark.parametrize("user", ["alice", "rita"])
@pytest.mark.parametrize("query", ["limit=30", "limit=30&page=3&pre-release=false"])
def test_a_release_page_costs_the_same_on_10000_releases(forge, user, query):
    forge.release("v1")
    user = forge.token(user, "read:repository")  # basic auth's throttle writes vary
    _grow(forge, 200)
    small = _statements(forge, user, query)
    _grow(forge, 10_000)
    large = _statements(forge, user, query)
    assert len(small) == len(large), [sql[:100] for sql, _ in large]
    if not is_sqlite(forge.ctx.db):
        return  # the plan below is SQLite's
    page = [(sql, params) for sql, params in large
            if 'FROM "release"' in sql and "ORDER BY" in sql]
    assert len(page) == 1, large
    plan = query_plan(forge.ctx.db, *page[0])
    assert not [line for line in plan if "TEMP B-TREE" in line], plan  # no sort of the table
    assert [line for line in plan if "release_repository_id_created_at" in line], plan
