"""``GET /api/jobs?sort=status`` (issue 13): each status's jobs are read from
``action_run_job (status, id)`` in id order, at most offset + limit of each, and merged — the
same pages, in the same order (the status's name, then the id) and with the same total as
sorting every visible job; the hosted jobs are counted from the repository index without
the run join. The plans are SQLite's; the rows, on both databases."""

from __future__ import annotations

import datetime

import pytest

from plue_core.db import connection, is_sqlite
from plue_core.testing import recorded_statements
from plue_workflows.statuses import Status

from tests.core.test_hot_path_query_counts import bench  # noqa: F401 (fixture)
from tests.plugins.runnerhub.test_job_list_page_cost import page_and_count_plans

# Every status, in an order that interleaves the names.
CYCLE = (Status.SUCCESS, Status.WAITING, Status.FAILURE, Status.RUNNING, Status.CANCELLED,
         Status.BLOCKED, Status.SKIPPED, Status.UNKNOWN, Status.WAITING, Status.SUCCESS)
NAMES = {Status.WAITING: "pending", Status.BLOCKED: "pending", Status.UNKNOWN: "pending",
         Status.RUNNING: "running", Status.SUCCESS: "completed", Status.SKIPPED: "completed",
         Status.FAILURE: "failed", Status.CANCELLED: "failed"}


def jobs_of_every_status(ctx, count: int) -> None:
    models = {table: model for table, (_, model) in ctx.models.items()}
    run, attempt, job = models["action_run"], models["action_run_attempt"], models["action_run_job"]
    with connection(ctx.db), ctx.db.atomic():
        first_run = run.select().order_by(run.id).first().__data__
        first_attempt = attempt.get(attempt.run == first_run["id"]).__data__
        first_job = job.get(job.run == first_run["id"]).__data__
        start = run.select().count()
        for n in range(count):
            run_id = run.insert({**{k: v for k, v in first_run.items() if k != "id"},
                                 "number": 100 + start + n}).execute()
            attempt.insert({**{k: v for k, v in first_attempt.items() if k != "id"},
                            "run": run_id}).execute()
            job.insert({**{k: v for k, v in first_job.items() if k != "id"}, "run": run_id,
                        "status": int(CYCLE[n % len(CYCLE)]),
                        "created": first_job["created"] + datetime.timedelta(seconds=n + 1)}
                       ).execute()


def expected_order(ctx, descending: bool) -> list[str]:
    """Every job sorted as the one ORDER BY over all of them sorted them."""
    job = {table: model for table, (_, model) in ctx.models.items()}["action_run_job"]
    with connection(ctx.db):
        rows = [(NAMES[Status(status)], job_id) for job_id, status in
                job.select(job.id, job.status).tuples()]
    return [f"job_{job_id}" for _, job_id in sorted(rows, reverse=descending)]


def pages(client, headers, query: str, limit: int) -> tuple[list[str], set[int], list[str]]:
    seen, totals, statuses, offset = [], set(), [], 0
    while True:
        result = client.simulate_get("/api/jobs", headers=headers,
                                     query_string=f"{query}&limit={limit}&offset={offset}")
        assert result.status_code == 200, result.text
        body = result.json["data"]
        totals.add(body["pagination"]["total"])
        if not body["jobs"]:
            return seen, totals, statuses
        seen += [job["id"] for job in body["jobs"]]
        statuses += [job["status"] for job in body["jobs"]]
        offset += limit


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_pages_by_status_are_the_full_sort_s_order_and_total(client, ctx, bench, order):  # noqa: F811
    jobs_of_every_status(ctx, 45)
    expected = expected_order(ctx, descending=order == "desc")
    seen, totals, statuses = pages(client, bench["headers"], f"sort=status&order={order}", 7)
    assert seen == expected
    assert totals == {len(expected)} == {46}
    assert statuses == sorted(statuses, reverse=order == "desc")
    assert set(statuses) == {"pending", "running", "completed", "failed"}


def test_a_status_filter_sorted_by_status_keeps_its_order_and_total(client, ctx, bench):  # noqa: F811
    jobs_of_every_status(ctx, 30)
    expected = expected_order(ctx, descending=False)
    seen, totals, statuses = pages(client, bench["headers"], "sort=status&order=asc&status=failed", 4)
    failed = [job for job, name in zip(expected, _names(ctx, expected)) if name == "failed"]
    assert seen == failed and totals == {len(failed)} and set(statuses) == {"failed"}


def _names(ctx, job_ids: list[str]) -> list[str]:
    job = {table: model for table, (_, model) in ctx.models.items()}["action_run_job"]
    with connection(ctx.db):
        status = dict(job.select(job.id, job.status).tuples())
    return [NAMES[Status(status[int(job_id.split("_")[1])])] for job_id in job_ids]


def test_by_status_a_page_costs_the_same_statements_on_more_jobs_and_walks_the_index(
        client, ctx, bench):  # noqa: F811
    jobs_of_every_status(ctx, 40)
    query = "sort=status&limit=30"
    with recorded_statements(ctx.db, without_token_touches=True) as small:
        assert client.simulate_get("/api/jobs", headers=bench["headers"],
                                   query_string=query).status_code == 200
    jobs_of_every_status(ctx, 300)
    # The job's repository name is remembered for 5 s (ActionsService.repository_of): on a
    # slow machine the 300 inserts outlast it; a page first, so both pages find it.
    client.simulate_get("/api/jobs", headers=bench["headers"], query_string=query)
    with recorded_statements(ctx.db, without_token_touches=True) as large:
        result = client.simulate_get("/api/jobs", headers=bench["headers"], query_string=query)
    assert result.status_code == 200, result.text
    assert len(small) == len(large)
    if not is_sqlite(ctx.db):
        return
    page, count = page_and_count_plans(ctx, large)
    walks = [line for line in page if "action_run_job_status_id" in line]
    assert len(walks) == len(Status), page  # one walk per status, none a scan
    assert not [line for line in page if line.startswith("SCAN t")], page
    assert count and any("COVERING INDEX action_run_job_repository_id" in line
                         for line in count), count
    assert not [line for line in count if line.startswith("SCAN t")], count
