"""The hot paths issue a fixed, small number of statements (issue 13): counted, never timed.

A list with ``limit=30`` costs the same number of statements whatever the size of the table
(no query per row); the requests every client sends cost the statements listed here.
"""

from __future__ import annotations

import base64
import datetime

import pytest

from plue_core.db import connection
from plue_core.testing import make_user, recorded_statements, token_auth

WORKFLOW = """on: workflow_dispatch
jobs:
  one:
    runs-on: nowhere
    steps:
      - run: "true"
"""


def statements_for(client, ctx, path: str, headers: dict, *, page: int | None = None,
                   **kwargs) -> list[str]:
    """The statements of one GET; with ``page``, the body must hold a list of that length."""
    with recorded_statements(ctx.db, without_token_touches=True) as statements:
        result = client.simulate_get(path, headers=headers, **kwargs)
    assert result.status_code == 200, result.text
    if page is not None:
        assert _longest_list(result.json) == page, (path, result.text[:300])
    return statements


def _longest_list(body) -> int:
    """The length of a body's list: bare, or under a key (``workflow_runs``, ``data``...)."""
    if isinstance(body, list):
        return len(body)
    if isinstance(body, dict):
        return max((_longest_list(value) for value in body.values()), default=0)
    return 0


@pytest.fixture
def bench(client, ctx):
    """A user with a token, a repository with a file on a branch, an issue, a pull request,
    a workflow run, and a registered idle runner."""
    make_user(ctx, "bench")
    token = client.simulate_post("/api/v1/users/bench/tokens", headers=_basic(),
                                 json={"name": "t", "scopes": ["all"]}).json["sha1"]
    headers = token_auth(token)

    def call(method, path, **body):
        result = client.simulate_request(method, f"/api/v1{path}", headers=headers, json=body)
        assert result.status_code < 300, result.text
        return result.json

    call("POST", "/user/repos", name="bench", auto_init=True)
    call("POST", "/repos/bench/bench/contents/.gitea/workflows/one.yml",
         content=base64.b64encode(WORKFLOW.encode()).decode(), message="workflow")
    call("POST", "/repos/bench/bench/contents/small.txt",
         content=base64.b64encode(b"small\n").decode(), message="small", new_branch="topic")
    call("POST", "/repos/bench/bench/pulls", head="topic", base="main", title="a pull")
    call("POST", "/repos/bench/bench/issues", title="an issue")
    call("POST", "/repos/bench/bench/actions/workflows/one.yml/dispatches", ref="main")
    return {"headers": headers, "token": token}


def _basic(user: str = "bench") -> dict:
    from plue_core.testing import basic_auth
    return basic_auth(user)


# Statements per request, the credential's lookup included. Changing one of these numbers
# is a decision: say why in the commit.
HOT_PATHS = {
    "/api/v1/repos/bench/bench": 2,             # token+account, repository+owner with its branch count
    "/api/v1/user": 1,                          # token+account: the account is not read again
    "/api/v1/repos/bench/bench/issues/2": 3,    # + issue with its labels, assignees and files (three JSON columns)
    "/api/v1/repos/bench/bench/issues?limit=30": 8,  # pulls no longer load their repository; + the page's attachments
    "/api/v1/repos/bench/bench/pulls/1": 3,  # issue row joined, with its labels, assignees, merger, review comments and reviewers; repository with its branch count
    "/api/v1/repos/bench/bench/contents/small.txt?ref=topic": 2,
    "/api/v1/repos/bench/bench/actions/runs?limit=30": 3,  # the page with its trigger users; a full page: the total counted apart (a window count sorted the whole list)
    "/api/jobs": 5,  # the rate limiter: one upsert RETURNING the count; the caller's orgs a subquery; the total read with the page
}


@pytest.mark.parametrize("path", list(HOT_PATHS))
def test_a_hot_path_costs_a_fixed_number_of_statements(client, ctx, bench, path):
    plain, _, query = path.partition("?")
    statements_for(client, ctx, plain, bench["headers"], query_string=query)  # warm
    statements = min((statements_for(client, ctx, plain, bench["headers"], query_string=query)
                      for _ in range(2)), key=len)
    assert len(statements) == HOT_PATHS[path], "\n".join(statements)


def test_basic_auth_costs_what_a_token_costs(client, ctx, bench):
    path = "/api/v1/repos/bench/bench"
    statements_for(client, ctx, path, _basic())  # bcrypt once, then remembered
    basic = statements_for(client, ctx, path, _basic())
    token = statements_for(client, ctx, path, bench["headers"])
    # The account by name with its login-lock counters, instead of the token with its account.
    assert len(basic) == len(token), "\n".join(basic)
    assert '"login_throttle"' in basic[0] and '"account"' in basic[0], basic[0]


# --- lists: the same statements on 100 rows as on 1,000 ------------------------------------


def _copies(model, template: dict, count: int, **vary) -> None:
    """``count`` copies of a row, each changed by ``vary`` (name -> function of n)."""
    base = {key: value for key, value in template.items() if key != "id"}
    rows = [{**base, **{name: make(n) for name, make in vary.items()}} for n in range(count)]
    for start in range(0, len(rows), 300):
        model.insert_many(rows[start:start + 300]).execute()


def grow_to(ctx, size: int, grown: dict) -> None:
    """Issues, runs (with an attempt and a job) and repositories of ``bench`` up to ``size``."""
    models = {table: model for table, (_, model) in ctx.models.items()}
    issue, run, attempt, job, repository = (models[t] for t in (
        "issue", "action_run", "action_run_attempt", "action_run_job", "repository"))
    with connection(ctx.db), ctx.db.atomic():
        first_issue = issue.get(issue.is_pull == False).__data__  # noqa: E712
        first_run = run.select().order_by(run.id).first()
        first_attempt = attempt.get(attempt.run == first_run.id).__data__
        first_job = job.get(job.run == first_run.id).__data__
        first_repo = repository.select().order_by(repository.id).first().__data__
        start = grown.get("size", 0) + 10
        count = size - grown.get("size", 0)
        _copies(issue, first_issue, count, number=lambda n: start + n,
                created_at=lambda n: first_issue["created_at"] + datetime.timedelta(seconds=start + n))
        _copies(repository, first_repo, count, name=lambda n: f"r{start + n}",
                lower_name=lambda n: f"r{start + n}")
        for n in range(count):
            run_id = run.insert({**{k: v for k, v in first_run.__data__.items() if k != "id"},
                                 "number": start + n}).execute()
            attempt.insert({**{k: v for k, v in first_attempt.items() if k != "id"},
                            "run": run_id}).execute()
            job.insert({**{k: v for k, v in first_job.items() if k != "id"},
                        "run": run_id}).execute()
    grown["size"] = size


LISTS = (
    "/api/v1/repos/bench/bench/issues?limit=30&state=all",
    "/api/v1/repos/bench/bench/issues?limit=30&state=open&type=issues",
    "/api/v1/users/bench/repos?limit=30",
    "/api/v1/user/repos?limit=30",
    "/api/v1/repos/search?limit=30",
    "/api/v1/repos/bench/bench/actions/runs?limit=30",
    "/api/v1/repos/bench/bench/actions/jobs?limit=30",
    "/api/jobs?limit=30",
)


def test_a_page_of_30_costs_the_same_statements_on_100_and_1000_rows(client, ctx, bench):
    grown: dict = {}
    counts = {}
    for size in (100, 1000):
        grow_to(ctx, size, grown)
        for path in LISTS:
            plain, _, query = path.partition("?")
            # The fewer of two: work done once a minute or so (a token's touch, a sweep of
            # expired assignments) is not a statement per row.
            statements = min((statements_for(client, ctx, plain, bench["headers"],
                                             query_string=query, page=30) for _ in range(2)),
                             key=len)
            counts.setdefault(path, {})[size] = statements
    growing = {path: [sql[:120] for sql in by_size[1000]] for path, by_size in counts.items()
               if len(by_size[100]) != len(by_size[1000])}
    assert not growing, growing
