"""``GET /api/jobs`` on many jobs (issue 13, lists on 10,000 rows within 1.5x of 100): the
total is each kind's count summed (a count over the UNION built the whole union first), and a
page takes at most offset + limit rows of each kind, in its order, before merging them —
newest first from ``action_run_job (created, id)`` (actions migration 0002) rather than by
sorting every job the caller may see. The plans are SQLite's; the rows, on both databases."""

from __future__ import annotations

import datetime

import pytest

from plue_core.db import connection, is_sqlite
from plue_core.testing import recorded_statements

from tests.core.test_hot_path_query_counts import bench  # noqa: F401 (fixture)


def many_jobs(ctx, count: int) -> None:
    models = {table: model for table, (_, model) in ctx.models.items()}
    run, attempt, job = models["action_run"], models["action_run_attempt"], models["action_run_job"]
    with connection(ctx.db), ctx.db.atomic():
        first_run = run.select().order_by(run.id).first().__data__
        first_attempt = attempt.get(attempt.run == first_run["id"]).__data__
        first_job = job.get(job.run == first_run["id"]).__data__
        for n in range(count):
            run_id = run.insert({**{k: v for k, v in first_run.items() if k != "id"},
                                 "number": 100 + n}).execute()
            attempt.insert({**{k: v for k, v in first_attempt.items() if k != "id"},
                            "run": run_id}).execute()
            job.insert({**{k: v for k, v in first_job.items() if k != "id"}, "run": run_id,
                        "created": first_job["created"] + datetime.timedelta(seconds=n + 1)}
                       ).execute()


def page_and_count_plans(ctx, statements: list[str]) -> tuple[list[str], list[str]]:
    """SQLite's plan of the page's statement, split: the count (the scalar subquery giving
    each row the total, issue 13) and the rest, the page. Parameters are not kept:
    stand-ins plan the same way."""
    pages = [sql for sql in statements if "UNION ALL" in sql]
    assert len(pages) == 1, statements
    with connection(ctx.db):
        rows = ctx.db.execute_sql("EXPLAIN QUERY PLAN " + pages[0],
                                  [1] * pages[0].count("?")).fetchall()
    in_count: set[int] = set()
    for node, parent, _, detail in rows:  # parents come before their children
        if parent in in_count or (parent == 0 and detail.startswith("SCALAR SUBQUERY")):
            in_count.add(node)
    return ([detail for node, _, _, detail in rows if node not in in_count],
            [detail for node, _, _, detail in rows if node in in_count])


def test_pages_of_many_jobs_are_the_newest_in_order_and_counted_once_each(
        client, ctx, bench):  # noqa: F811
    many_jobs(ctx, 60)
    seen, total = [], None
    for offset in (0, 30, 60):
        result = client.simulate_get("/api/jobs", headers=bench["headers"],
                                     query_string=f"limit=30&offset={offset}")
        assert result.status_code == 200, result.text
        body = result.json["data"]  # RunnerHub's envelope
        seen += [job["id"] for job in body["jobs"]]
        total = body["pagination"]["total"]
    assert total == 61 == len(seen) == len(set(seen))  # the bench's dispatched job and 60 more
    # Past the end no row carries the total: it is counted on its own.
    past = client.simulate_get("/api/jobs", headers=bench["headers"],
                               query_string="limit=30&offset=90").json["data"]
    assert past["jobs"] == [] and past["pagination"]["total"] == 61
    numbers = [int(job_id.rsplit("_", 1)[1]) for job_id in seen]
    assert numbers == sorted(numbers, reverse=True)  # created ascends with the id here


def test_the_page_reads_the_created_index_and_the_count_builds_no_union(
        client, ctx, bench):  # noqa: F811
    if not is_sqlite(ctx.db):
        pytest.skip("query plans are SQLite's")
    many_jobs(ctx, 40)
    with recorded_statements(ctx.db, without_token_touches=True) as statements:
        result = client.simulate_get("/api/jobs", headers=bench["headers"],
                                     query_string="limit=30")
    assert result.status_code == 200, result.text
    assert not [sql for sql in statements if "COUNT(" in sql and "UNION ALL" not in sql]
    page, count = page_and_count_plans(ctx, statements)
    assert any("USING INDEX action_run_job_created_id" in line for line in page), page
    assert count and not any("COMPOUND" in line for line in count), count
