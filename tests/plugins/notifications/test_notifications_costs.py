"""What notifications cost: telling 1,000 watchers of a comment takes the statements telling
three takes (the watchers, the participants and the readers among them are a statement each,
the threads one upsert); and a page of 30 threads
costs the same on 10,000 threads as on 100, read from the ``(user, updated_at)`` index in its
order (SQLite's plan: no sort)."""

from __future__ import annotations

import datetime

from plue_core.accounts.models import Account
from plue_core.db import connection, is_sqlite
from plue_core.testing import query_plan, recorded_statements
from plue_git_hosting.models import Watch
from plue_issues.models import Issue
from plue_notifications.models import Notification


def _watchers(forge, count: int, start: int) -> None:
    """``count`` more users watching alice/demo (rows written directly: only their number
    matters here)."""
    repository = forge.ok("GET", "/repos/alice/demo")["id"]
    with connection(forge.ctx.db), forge.ctx.db.atomic():
        names = [f"watcher{n}" for n in range(start, start + count)]
        Account.insert_many([{"name": name, "lower_name": name, "email": f"{name}@example.com",
                              "lower_email": f"{name}@example.com"} for name in names]).execute()
        ids = [row.id for row in Account.select(Account.id).where(Account.name.in_(names))]
        Watch.insert_many([{"user": user_id, "repository": repository}
                           for user_id in ids]).execute()


def _comment_statements(forge, number: int) -> list[str]:
    with recorded_statements(forge.ctx.db, without_token_touches=True) as statements:
        forge.comment(number, "ping", as_user=forge.commenter)
    return statements


def test_a_comment_tells_1000_watchers_in_the_statements_it_tells_3(forge):
    forge.commenter = forge.token("bob", "write:issue")
    issue = forge.issue("Popular", as_user="carol")
    _watchers(forge, 2, 0)
    _comment_statements(forge, issue["number"])  # compiled queries prepared once
    few = _comment_statements(forge, issue["number"])
    _watchers(forge, 1000, 2)
    many = _comment_statements(forge, issue["number"])
    assert len(many) == len(few), many
    threads = [sql for sql in many if 'INTO "notification"' in sql]
    assert len(threads) == 1, threads
    with connection(forge.ctx.db):
        # alice (her repository's watcher), carol (the poster) and the 1,002 watchers.
        assert Notification.select().where(Notification.issue == issue["id"]).count() == 1004


def _grow(forge, count: int) -> None:
    """``count`` more issues of alice/demo, each with an unread thread of alice's."""
    with connection(forge.ctx.db), forge.ctx.db.atomic():
        first = Issue.select().order_by(Issue.id).first().__data__
        top = Issue.select(Issue.number).order_by(Issue.number.desc()).scalar()
        moment = datetime.datetime(2020, 1, 1)
        rows = [{**{key: value for key, value in first.items() if key != "id"},
                 "number": top + n, "title": f"grown {n}"} for n in range(1, count + 1)]
        for start in range(0, count, 500):
            Issue.insert_many(rows[start:start + 500]).execute()
        thread = Notification.select().order_by(Notification.id).first().__data__
        grown = Issue.select(Issue.id).where(Issue.number > top)
        threads = [{**{key: value for key, value in thread.items() if key != "id"},
                    "issue": row.id, "updated_at": moment + datetime.timedelta(seconds=row.id)}
                   for row in grown]
        for start in range(0, len(threads), 500):
            Notification.insert_many(threads[start:start + 500]).execute()


def _page(forge, reader) -> list[tuple[str, tuple]]:
    with recorded_statements(forge.ctx.db, with_params=True,
                             without_token_touches=True) as statements:
        response = forge.get("/notifications", as_user=reader, params={"limit": "30"})
    assert response.status_code == 200 and len(response.json) == 30, response.text
    return statements


def test_a_page_of_threads_costs_the_same_on_10000_threads(forge):
    forge.issue("seed", as_user="bob")
    reader = forge.token("alice", "read:notification", "read:repository")
    _grow(forge, 100)
    small = _page(forge, reader)
    _grow(forge, 10_000)
    large = _page(forge, reader)
    assert len(small) == len(large), [sql[:120] for sql, _ in large]
    if not is_sqlite(forge.ctx.db):
        return  # the plan below is SQLite's
    page = [(sql, params) for sql, params in large
            if 'FROM "notification"' in sql and "ORDER BY" in sql]
    assert len(page) == 1, large
    plan = query_plan(forge.ctx.db, *page[0])
    assert not [line for line in plan if "TEMP B-TREE" in line], plan
    assert [line for line in plan if "notification_user_id_updated_at" in line], plan
