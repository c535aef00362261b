"""``GET /api/jobs?sort=status`` (issue 13): the caller's jobs are counted first (from the
repository index, without the run join); up to ``job_listing.FEW`` of them are read through
their repositories and sorted, so a caller who sees few jobs pays for those, not for every
job of the site; more, each status's jobs are read from ``action_run_job (status, id)`` in id
order, at most offset + limit of each, and merged. Both plans give the same pages, in the same
order (the status's name, then the id) and with the same total as sorting every visible job.
The plans and VM steps are SQLite's; the rows, on both databases."""

from __future__ import annotations

import datetime

import pytest

from plue_core.db import connection, is_sqlite
from plue_core.testing import basic_auth, make_user, query_plan, recorded_statements, token_auth
from plue_runnerhub import job_listing
from plue_workflows.statuses import Status

from tests.core.test_hot_path_query_counts import bench  # noqa: F401 (fixture)

# Every status, in an order that interleaves the names.
CYCLE = (Status.SUCCESS, Status.WAITING, Status.FAILURE, Status.RUNNING, Status.CANCELLED,
         Status.BLOCKED, Status.SKIPPED, Status.UNKNOWN, Status.WAITING, Status.SUCCESS)
NAMES = {Status.WAITING: "pending", Status.BLOCKED: "pending", Status.UNKNOWN: "pending",
         Status.RUNNING: "running", Status.SUCCESS: "completed", Status.SKIPPED: "completed",
         Status.FAILURE: "failed", Status.CANCELLED: "failed"}


@pytest.fixture(params=["few", "walk"])
def plan(request, monkeypatch):
    """Each page test runs with both plans: the caller's jobs sorted, or each status walked."""
    if request.param == "walk":
        monkeypatch.setattr(job_listing, "FEW", -1)
    return request.param


def jobs_of_every_status(ctx, count: int, repository_id: int | None = None) -> None:
    """``count`` jobs (each with its run) of the first run's repository or
    ``repository_id``."""
    models = {table: model for table, (_, model) in ctx.models.items()}
    run, attempt, job = models["action_run"], models["action_run_attempt"], models["action_run_job"]
    with connection(ctx.db), ctx.db.atomic():
        first_run = run.select().order_by(run.id).first().__data__
        if repository_id is not None:
            first_run["repository_id"] = repository_id
        first_attempt = attempt.get(attempt.run == first_run["id"]).__data__
        first_job = job.get(job.run == first_run["id"]).__data__
        start = run.select().count()
        for n in range(count):
            run_id = run.insert({**{k: v for k, v in first_run.items() if k != "id"},
                                 "number": 100 + start + n}).execute()
            attempt.insert({**{k: v for k, v in first_attempt.items() if k != "id"},
                            "run": run_id}).execute()
            job.insert({**{k: v for k, v in first_job.items() if k != "id"}, "run": run_id,
                        "repository_id": first_run["repository_id"],
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
def test_pages_by_status_are_the_full_sort_s_order_and_total(client, ctx, bench, order,  # noqa: F811
                                                            plan):
    jobs_of_every_status(ctx, 45)
    expected = expected_order(ctx, descending=order == "desc")
    seen, totals, statuses = pages(client, bench["headers"], f"sort=status&order={order}", 7)
    assert seen == expected
    assert totals == {len(expected)} == {46}
    assert statuses == sorted(statuses, reverse=order == "desc")
    assert set(statuses) == {"pending", "running", "completed", "failed"}


def test_a_status_filter_sorted_by_status_keeps_its_order_and_total(client, ctx, bench,  # noqa: F811
                                                                    plan):
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


def _page(client, ctx, headers, query="sort=status&limit=30") -> tuple[list[str], int]:
    """The statements of one page and the SQLite VM steps they took (0 on PostgreSQL)."""
    steps = [0]

    def step():
        steps[0] += 1
        return 0

    with connection(ctx.db):
        if is_sqlite(ctx.db):
            ctx.db.connection().set_progress_handler(step, 1)
        try:
            with recorded_statements(ctx.db, without_token_touches=True) as statements:
                result = client.simulate_get("/api/jobs", headers=headers, query_string=query)
        finally:
            if is_sqlite(ctx.db):
                ctx.db.connection().set_progress_handler(None, 1)
    assert result.status_code == 200, result.text
    return statements, steps[0]


def _plan(ctx, sql: str) -> list[str]:
    return query_plan(ctx.db, sql, [1] * sql.count("?"))


def test_a_caller_who_sees_few_jobs_pays_for_those_not_for_the_site_s(client, ctx, bench):  # noqa: F811
    """The defect: each status's walk checked every job of the site until it found a page of
    the caller's (19.5 ms a page for a user seeing 100 of 10,100 jobs)."""
    make_user(ctx, "few")
    token = client.simulate_post("/api/v1/users/few/tokens", headers=basic_auth("few"),
                                 json={"name": "t", "scopes": ["all"]}).json["sha1"]
    few = token_auth(token)
    mine = client.simulate_post("/api/v1/user/repos", headers=few,
                                json={"name": "mine", "private": True})
    assert mine.status_code == 201, mine.text
    assert client.simulate_patch("/api/v1/repos/bench/bench", headers=bench["headers"],
                                 json={"private": True}).status_code == 200
    jobs_of_every_status(ctx, 20, repository_id=mine.json["id"])
    jobs_of_every_status(ctx, 40)  # bench's, which ``few`` may not see
    _page(client, ctx, few)  # the job's repository name is remembered (repository_of)
    small, small_steps = _page(client, ctx, few)
    jobs_of_every_status(ctx, 400)
    _page(client, ctx, few)
    large, large_steps = _page(client, ctx, few)
    assert len(small) == len(large)
    seen = client.simulate_get("/api/jobs", headers=few, query_string="sort=status&limit=50")
    assert seen.json["data"]["pagination"]["total"] == 20 == len(seen.json["data"]["jobs"])
    if not is_sqlite(ctx.db):
        return
    assert large_steps == small_steps  # 440 more jobs of others': not one step more
    page = _plan(ctx, next(sql for sql in large if "UNION ALL" in sql))
    assert any("INDEX action_run_job_repository_id" in line for line in page), page
    assert not [line for line in page if "action_run_job_status_id" in line], page
    assert not [line for line in page if line.startswith("SCAN t")], page


def test_by_status_a_caller_who_sees_many_jobs_walks_each_status_s_index(
        client, ctx, bench, monkeypatch):  # noqa: F811
    monkeypatch.setattr(job_listing, "FEW", 30)  # 41 jobs and more are many
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
    page = _plan(ctx, next(sql for sql in large if "UNION ALL" in sql))
    walks = [line for line in page if "action_run_job_status_id" in line]
    assert len(walks) == len(Status), page  # one walk per status, none a scan
    assert not [line for line in page if line.startswith("SCAN t")], page
    count = _plan(ctx, next(sql for sql in large if "COUNT(" in sql and "UNION" not in sql))
    assert any("COVERING INDEX action_run_job_repository_id" in line for line in count), count
    assert not [line for line in count if line.startswith("SCAN t")], count


def test_a_page_past_the_end_is_counted_and_not_read(client, ctx, bench):  # noqa: F811
    jobs_of_every_status(ctx, 10)
    statements, _ = _page(client, ctx, bench["headers"], "sort=status&limit=30&offset=30")
    assert not [sql for sql in statements if "UNION ALL" in sql], statements
    body = client.simulate_get("/api/jobs", headers=bench["headers"],
                               query_string="sort=status&limit=30&offset=30").json["data"]
    assert body["jobs"] == [] and body["pagination"]["total"] == 11
