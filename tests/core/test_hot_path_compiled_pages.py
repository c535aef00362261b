"""A pull request GET counts its review comments, and RunnerHub's ``/api/jobs`` loads its page's
jobs with their runs, through queries compiled once per page size (``CompiledIdsSelect``), not
built by peewee per request (issue 13); the answers are the same for every page size."""

from __future__ import annotations

from plue_core.testing import recorded_statements

from tests.core.test_hot_path_compiled_reads import _get, compiled  # noqa: F401 (a fixture)
from tests.core.test_hot_path_query_counts import bench  # noqa: F401 (a fixture)

REPO = "/api/v1/repos/bench/bench"


def test_a_pull_get_counts_review_comments_without_compiling(client, ctx, bench,  # noqa: F811
                                                             compiled):  # noqa: F811
    from plue_pulls.models import ReviewComment

    result = client.simulate_post(f"{REPO}/pulls/1/reviews", headers=bench["headers"], json={
        "event": "COMMENT", "body": "seen",
        "comments": [{"path": "small.txt", "body": "a line", "new_position": 1}]})
    assert result.status_code == 200, result.text
    _get(client, bench, f"{REPO}/pulls/1")
    del compiled[:]
    body = _get(client, bench, f"{REPO}/pulls/1").json
    assert body["review_comments"] == 1
    assert ReviewComment not in compiled, compiled
    # A list of pull requests counts them for the whole page at once, alike.
    assert [pull["review_comments"] for pull in _get(client, bench, f"{REPO}/pulls").json] == [1]


def test_a_jobs_page_loads_its_jobs_without_compiling(client, ctx, bench, compiled):  # noqa: F811
    from plue_actions.models import Job

    for _ in range(2):  # two more runs: three jobs, pages of 1, 2 and 3 (three size buckets)
        result = client.simulate_post(f"{REPO}/actions/workflows/one.yml/dispatches",
                                      headers=bench["headers"], json={"ref": "main"})
        assert result.status_code == 204, result.text
    everything = _get(client, bench, "/api/jobs").json["data"]["jobs"]
    assert len(everything) == 3
    for limit in (1, 2, 3):
        _get(client, bench, "/api/jobs", f"limit={limit}")
        del compiled[:]
        with recorded_statements(ctx.db, without_token_touches=True) as statements:
            page = _get(client, bench, "/api/jobs", f"limit={limit}").json["data"]["jobs"]
        assert page == everything[:limit]
        assert Job not in compiled, compiled
        assert len(statements) == 5, "\n".join(statements)  # the total read with the page
