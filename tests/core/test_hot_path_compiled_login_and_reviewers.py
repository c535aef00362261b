"""Two reads peewee built on every request (issue 13), compiled once: the login-lock counters
of a Basic request (every password login reads them) and a pull request's requested
reviewers (every pull shape). Counted, never timed: after a warm-up request the next one
compiles neither."""

from __future__ import annotations

import base64

from plue_core.testing import (basic_auth, compiled_queries, make_user, query_plan,
                               recorded_statements)

from tests.core.test_hot_path_query_counts import bench  # noqa: F401 (a fixture)


def test_a_basic_request_reads_the_login_locks_compiled(client, ctx, bench):  # noqa: F811
    path = "/api/v1/repos/bench/bench"
    assert client.simulate_get(path, headers=basic_auth("bench")).status_code == 200  # bcrypt
    with compiled_queries(ctx.db) as compiled:
        assert client.simulate_get(path, headers=basic_auth("bench")).status_code == 200
    assert compiled == [], compiled  # the login locks among them: no query built by peewee


def test_the_login_locks_still_refuse_a_locked_account(client, ctx, bench):  # noqa: F811
    """The compiled read finds the counters as before: after too many failures from one
    address, the right password from it is refused (429) until the lock passes."""
    make_user(ctx, "victim")
    path = "/api/v1/user"
    wrong = {"Authorization": "Basic " + base64.b64encode(b"victim:not-it").decode()}
    answers = [client.simulate_get(path, headers=wrong).status_code for _ in range(12)]
    assert 401 in answers and answers[-1] == 429, answers
    refused = client.simulate_get(path, headers=basic_auth("victim"))
    assert refused.status_code == 429 and refused.headers["retry-after"].isdigit()


def test_a_pull_get_reads_its_requested_reviewers_compiled(client, ctx, bench):  # noqa: F811
    from plue_pulls.models import Review

    make_user(ctx, "reviewer")
    repo = "/api/v1/repos/bench/bench"
    added = client.simulate_put(f"{repo}/collaborators/reviewer", headers=bench["headers"],
                                json={"permission": "write"})
    assert added.status_code == 204, added.text
    asked = client.simulate_post(f"{repo}/pulls/1/requested_reviewers", headers=bench["headers"],
                                 json={"reviewers": ["reviewer"]})
    assert asked.status_code == 201, asked.text
    assert client.simulate_get(f"{repo}/pulls/1", headers=bench["headers"]).status_code == 200
    with compiled_queries(ctx.db) as compiled:
        pull = client.simulate_get(f"{repo}/pulls/1", headers=bench["headers"])
    assert pull.status_code == 200
    assert [user["login"] for user in pull.json["requested_reviewers"]] == ["reviewer"]
    assert Review not in compiled


def test_a_basic_request_reads_its_counters_by_key_with_the_account(client, ctx, bench):  # noqa: F811
    """The account and its login-lock counters are one statement, and the counters are found
    through the table's key (thousands of counted addresses must not be scanned)."""
    from plue_core.db import is_sqlite

    path = "/api/v1/repos/bench/bench"
    assert client.simulate_get(path, headers=basic_auth("bench")).status_code == 200  # bcrypt
    with recorded_statements(ctx.db, without_token_touches=True) as statements:
        assert client.simulate_get(path, headers=basic_auth("bench")).status_code == 200
    read = [sql for sql in statements if '"login_throttle"' in sql]
    assert len(read) == 1 and '"account"' in read[0], statements
    if not is_sqlite(ctx.db):
        return  # PostgreSQL's plan: docs/serving.md, round eight (a BitmapOr on its key)
    plan = query_plan(ctx.db, read[0], ["x"] * read[0].count("?"))
    throttle = [line for line in plan if " t2 " in line]
    assert throttle and all("INDEX sqlite_autoindex_login_throttle" in line
                            for line in throttle), plan
