#!/usr/bin/env python3
"""What rendering a response body costs, in process: microseconds per body for the shapes the
hot paths serve (Gitea's Repository with its owner, a User, a page of 30 Issues), and the whole
``GET /api/v1/repos/{owner}/{repo}`` through falcon.testing for scale.

Run it before and after changing a shape (plue_core/shapes.py); docs/plugins.md quotes it.

Usage: python bench/response_shapes.py [--repeat 2000] [--database-url postgresql://...]
``rows()`` gives ``make bench`` its rows (bench/table.py) on the databases of
``PLUE_BENCH_DATABASES``, 1,000 calls per ``PLUE_BENCH_ROUNDS``.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import falcon.testing  # noqa: E402

from bench import table  # noqa: E402
from plue_core import create_app  # noqa: E402
from plue_core.accounts.models import Account  # noqa: E402
from plue_core.db import connection  # noqa: E402
from plue_core.identity import Identity  # noqa: E402
from plue_core.testing import basic_auth, make_test_config, make_user, migrate  # noqa: E402
from plue_git_hosting.models import Repository  # noqa: E402
from plue_git_hosting.permissions import RequestPermissions  # noqa: E402
from plue_git_hosting.schemas.shapes.repository import repository_json  # noqa: E402
from plue_issues.models import Issue  # noqa: E402


def per_call_us(fn, repeat: int) -> float:
    """Best of five runs of ``repeat`` calls, in microseconds of this process's CPU per call
    (CPU time, so other load on a shared machine weighs less than on the wall clock)."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(repeat):
            fn()
        best = min(best, (time.process_time() - started) / repeat * 1e6)
    return best


def measure(database_url: str | None = None, repeat: int = 2000) -> dict:
    """Microseconds per body of each shape, and of the whole repository GET, on
    ``database_url`` (a SQLite file of its own when None)."""
    with tempfile.TemporaryDirectory(prefix="plue-shapes-") as name:
        tmp = pathlib.Path(name)
        app = create_app(make_test_config(tmp, database_url or f"sqlite:///{tmp}/plue.db"))
        migrate(app)
        ctx = app.plue
        client = falcon.testing.TestClient(app)
        make_user(ctx, "bench")
        headers = basic_auth("bench")
        client.simulate_post("/api/v1/user/repos", headers=headers,
                             json={"name": "bench", "auto_init": True})
        for n in range(30):
            client.simulate_post("/api/v1/repos/bench/bench/issues", headers=headers,
                                 json={"title": f"issue {n}", "body": "text"})
        hosting, accounts, issues = (ctx.services[n] for n in ("git_hosting", "accounts", "issues"))
        with connection(ctx.db):
            account = Account.get(Account.name == "bench")
            identity = Identity(user_id=account.id, username=account.name, account=account)
            repository = Repository.get(Repository.name == "bench")
            issue_rows = list(Issue.select().where(Issue.repository == repository.id))
            presenter = issues.presenter(identity, repository=repository)
            memo = RequestPermissions(accounts, identity)
            memo.prefetch([repository])
            results = {
                "Repository (owner, permissions; no query)": per_call_us(
                    lambda: repository_json(hosting, repository, memo, branch_count=1),
                    repeat),
                "Repository (with its branch-count query)": per_call_us(
                    lambda: hosting.repository_json(repository, identity), repeat),
                "User": per_call_us(lambda: accounts.user_json(account, identity), repeat * 5),
                "30 Issues (prefetched)": per_call_us(
                    lambda: presenter.issues(issue_rows), repeat // 20),
            }
        whole = per_call_us(
            lambda: client.simulate_get("/api/v1/repos/bench/bench", headers=headers),
            repeat // 4)
        ctx.close()
    return {"database": table.url_label(database_url), "shapes": results, "whole": whole}


def table_rows(found: dict) -> list[table.Row]:
    """The ``make bench`` rows of one measurement: context figures for issue 12 item 4 (one
    definition per shape, fast enough for the hot paths), next to the whole request they
    are part of; the issue sets no number, so no row is met or missed."""
    whole = f"whole GET /api/v1/repos/bench/bench {found['whole']:.0f} µs"
    return [table.Row(f"render {label} (CPU per body)", f"{value:.1f} µs", whole, None,
                      found["database"])
            for label, value in found["shapes"].items()]


def rows() -> list[table.Row]:
    """On each of ``table.databases()``, 1,000 calls per ``table.rounds()`` (2,000 by
    default, as the script)."""
    found: list[table.Row] = []
    for database in table.databases():
        with table.scratch_database(database) as url:
            found += table_rows(measure(url, 1000 * table.rounds()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    table.print_table(table_rows(measure(args.database_url, args.repeat)))


if __name__ == "__main__":
    main()
