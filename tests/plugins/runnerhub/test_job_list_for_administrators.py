"""``GET /api/jobs`` asked by a site administrator whose credential reads repositories
(git_hosting's visibility shape "all", every repository): their jobs are every job, so the
count and the page read ``action_run_job`` alone. Before, both filtered by the list of every
repository of the site, built twice a request (SQLite: 196,000 VM steps for the plain page
on 10,100 jobs and 20,200 repositories, 3,800 now). The rows are the same as those of a
caller who sees every job; the VM steps and statements are SQLite's."""

from __future__ import annotations

import pytest

from plue_core.db import connection, is_sqlite
from plue_core.testing import basic_auth, make_user, token_auth

from tests.core.test_hot_path_query_counts import bench  # noqa: F401 (fixture)
from tests.plugins.runnerhub.test_job_list_by_status import (  # noqa: F401 (plan: fixture)
    _page, jobs_of_every_status, pages, plan,
)

QUERIES = ("sort=created_at", "sort=updated_at&order=asc", "status=failed",
           "sort=status", "sort=status&order=asc&status=pending")


@pytest.fixture
def admin(client, ctx, bench):  # noqa: F811
    make_user(ctx, "boss", admin=True)
    return token_auth(client.simulate_post(
        "/api/v1/users/boss/tokens", headers=basic_auth("boss"),
        json={"name": "t", "scopes": ["all"]}).json["sha1"])


def more_repositories(ctx, count: int) -> None:
    """``count`` private repositories of bench's, without jobs."""
    repository = {table: model for table, (_, model) in ctx.models.items()}["repository"]
    with connection(ctx.db), ctx.db.atomic():
        template = {key: value for key, value in
                    repository.select().order_by(repository.id).first().__data__.items()
                    if key != "id"}
        start = repository.select().count()
        repository.insert_many([{**template, "name": f"r{start + n}",
                                 "lower_name": f"r{start + n}", "is_private": True}
                                for n in range(count)]).execute()


@pytest.mark.parametrize("query", QUERIES)
def test_an_administrator_s_pages_and_totals_are_every_job_s(client, ctx, bench, admin,  # noqa: F811
                                                              query, plan):  # noqa: F811
    jobs_of_every_status(ctx, 25)
    more_repositories(ctx, 5)
    assert pages(client, admin, query, 7) == pages(client, bench["headers"], query, 7)
    everyone = client.simulate_get("/api/jobs", headers=admin, query_string="limit=1").json
    assert everyone["data"]["pagination"]["total"] == 26


@pytest.mark.parametrize("query", QUERIES)
def test_an_administrator_s_page_reads_no_repository(client, ctx, bench, admin,  # noqa: F811
                                                     query):
    jobs_of_every_status(ctx, 40)
    _page(client, ctx, admin, query)  # the job's repository name is remembered
    few_statements, few_steps = _page(client, ctx, admin, query)
    more_repositories(ctx, 300)
    _page(client, ctx, admin, query)
    statements, steps = _page(client, ctx, admin, query)
    jobs = [sql for sql in statements if '"action_run_job"' in sql]
    assert jobs and not [sql for sql in jobs if '"repository"' in sql], jobs
    assert len(statements) == len(few_statements)
    if is_sqlite(ctx.db):
        assert steps == few_steps  # 300 more repositories: not one step more


def test_a_deleted_repository_s_jobs_leave_the_administrator_s_total(client, ctx, bench,  # noqa: F811
                                                                      admin):
    """The administrator's jobs are not filtered by the repositories: what keeps them to
    existing repositories is that a repository's jobs are deleted with it (actions'
    ``cleanup``), for a repository deleted alone and for an account's."""
    make_user(ctx, "gone")
    gone = token_auth(client.simulate_post(
        "/api/v1/users/gone/tokens", headers=basic_auth("gone"),
        json={"name": "t", "scopes": ["all"]}).json["sha1"])
    ids = [client.simulate_post("/api/v1/user/repos", headers=gone,
                                json={"name": name}).json["id"] for name in ("one", "two")]
    for repository_id in ids:
        jobs_of_every_status(ctx, 5, repository_id=repository_id)

    def total(query="limit=1"):
        result = client.simulate_get("/api/jobs", headers=admin, query_string=query)
        assert result.status_code == 200, result.text
        return result.json["data"]["pagination"]["total"]

    assert total() == total("sort=status") == 11
    assert client.simulate_delete("/api/v1/repos/gone/one", headers=gone).status_code == 204
    assert total() == total("sort=status") == 6
    assert client.simulate_delete("/api/v1/admin/users/gone", headers=admin,
                                  query_string="purge=true").status_code == 204
    assert total() == total("sort=status") == 1
