#!/usr/bin/env python3
"""Profile one hot path in process (falcon.testing): ms per request, statements per request,
and cProfile's top functions. The headlines of its output are in docs/serving.md.

Usage: python bench/profile_hot_path.py [--path /api/v1/repos/bench/bench] [--basic]
       [--requests 1000] [--top 25] [--database-url postgresql://...]   (default SQLite)
"""

from __future__ import annotations

import argparse
import cProfile
import pathlib
import pstats
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import falcon.testing  # noqa: E402

from plue_core import create_app  # noqa: E402
from plue_core.testing import basic_auth, make_test_config, make_user, migrate  # noqa: E402


def seed_issues(ctx, count: int) -> None:
    """Copies of the first issue, numbered 2..count, in bulk."""
    import datetime

    from plue_core.db import connection

    issue_model = ctx.models["issue"][1]
    with connection(ctx.db), ctx.db.atomic():
        template = {k: v for k, v in issue_model.select().first().__data__.items() if k != "id"}
        rows = [{**template, "number": n,
                 "created_at": template["created_at"] + datetime.timedelta(seconds=n)}
                for n in range(2, count + 1)]
        for start in range(0, len(rows), 500):
            issue_model.insert_many(rows[start:start + 500]).execute()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/api/v1/repos/bench/bench")
    parser.add_argument("--basic", action="store_true", help="Basic auth instead of a token")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--database-url")
    parser.add_argument("--issues", type=int, default=1, help="issues in the repository")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plue-profile-") as name:
        tmp = pathlib.Path(name)
        app = create_app(make_test_config(tmp, args.database_url or f"sqlite:///{tmp}/plue.db"))
        migrate(app)
        client = falcon.testing.TestClient(app)
        make_user(app.plue, "bench")
        token = client.simulate_post("/api/v1/users/bench/tokens", headers=basic_auth("bench"),
                                     json={"name": "bench", "scopes": ["all"]}).json["sha1"]
        headers = basic_auth("bench") if args.basic else {"Authorization": f"token {token}"}
        client.simulate_post("/api/v1/user/repos", headers=headers,
                             json={"name": "bench", "auto_init": True})
        client.simulate_post("/api/v1/repos/bench/bench/issues", headers=headers,
                             json={"title": "an issue"})
        if args.issues > 1:
            seed_issues(app.plue, args.issues)
        statements = {"count": 0}
        execute_sql = app.plue.db.execute_sql

        def counting(sql, params=None, *rest, **kwargs):
            statements["count"] += 1
            return execute_sql(sql, params, *rest, **kwargs)

        app.plue.db.execute_sql = counting
        assert client.simulate_get(args.path, headers=headers).status_code == 200
        statements["count"] = 0
        started = time.perf_counter()
        for _ in range(args.requests):
            client.simulate_get(args.path, headers=headers)
        per_request = (time.perf_counter() - started) / args.requests * 1000
        print(f"{args.path}: {per_request:.2f} ms per request, "
              f"{statements['count'] / args.requests:.1f} statements per request")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            client.simulate_get(args.path, headers=headers)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
