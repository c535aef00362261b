#!/usr/bin/env python3
"""What the web pages cost under ``make serve``: p50 and p99 of each main page, signed in
with a web session, against the real server (gunicorn) on a small dataset (a repository with
60 files over 40 commits, 40 issues with comments, a pull request). The issue's target is a
p50 of 30 ms or less per page.

Sequential requests from one client (``requests``), after a warm-up: the time a person waits
for the HTML, not the throughput (``bench/api_hot_path.py`` measures that for the API).

The same run also times the API's repository GET the same way: the baseline in the table.

Usage: python bench/web_pages.py [--postgres] [--requests 200] [--profile PAGE ...]
``--profile`` measures nothing: on the same dataset it runs each named page (as in PAGES,
``{sha}`` for the commit) in this process through falcon's test client, under cProfile, and
prints the statements each request issues and the profile's top functions.
``rows()`` gives ``make bench`` its rows (bench/table.py) on the databases of
``PLUE_BENCH_DATABASES``, 100 requests per page per ``PLUE_BENCH_ROUNDS``.
"""

from __future__ import annotations

import argparse
import base64
import pathlib
import re
import statistics
import sys
import tempfile
import time

import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import table  # noqa: E402
from plue_core.testing import recorded_statements, run_live_server  # noqa: E402

PASSWORD = "bench-password-123"
P50_TARGET_MS = 30
PAGES = ["/", "/explore/repos", "/alice", "/alice/site", "/alice/site/src/branch/main/src",
         "/alice/site/src/branch/main/src/module_7.py", "/alice/site/commits/branch/main",
         "/alice/site/commit/{sha}", "/alice/site/branches", "/alice/site/issues",
         "/alice/site/issues/3", "/alice/site/pulls/41", "/alice/site/pulls/41/files",
         "/alice/site/pulls/41/files?style=split", "/alice/site/pulls/41/commits",
         "/alice/site/compare/main...topic",
         "/alice/site/settings", "/alice/site/settings/collaboration",
         "/alice/site/settings/branches", "/user/settings/keys"]
# Actions (a dispatched run waiting for a runner) and, signed in as the administrator root,
# the runner fleet.
ACTIONS_PAGES = ["/alice/site/actions", "/alice/site/actions/runs/1",
                 "/alice/site/actions/run?workflow=ci.yml"]
ADMIN_PAGES = ["/-/admin/fleet", "/-/admin/actions/runners"]
WORKFLOW = """name: CI
on:
  workflow_dispatch:
    inputs:
      target: {description: Where, required: true}
      level: {type: choice, options: [low, high]}
jobs:
  build: {runs-on: ubuntu-latest, steps: [{run: make}]}
  test: {needs: build, runs-on: ubuntu-latest, steps: [{run: make test}]}
"""


def seed(url: str) -> str:
    """The dataset; returns a commit id."""
    api = requests.Session()
    api.auth = ("alice", PASSWORD)

    def call(method, path, **kwargs):
        response = api.request(method, f"{url}/api/v1{path}", timeout=60, **kwargs)
        assert response.status_code < 300, (path, response.text)
        return response.json() if response.text else None

    call("POST", "/user/repos", json={"name": "site", "auto_init": True})
    for number in range(40):
        files = [{"operation": "create", "path": f"src/module_{number}.py",
                  "content": base64.b64encode(
                      "".join(f"def f{n}(x):\n    return x * {n}\n\n" for n in range(60))
                      .encode()).decode()}]
        if number < 20:
            files.append({"operation": "create", "path": f"docs/page_{number}.md",
                          "content": base64.b64encode(f"# Page {number}\n".encode()).decode()})
        if number == 0:
            files.append({"operation": "create", "path": ".gitea/workflows/ci.yml",
                          "content": base64.b64encode(WORKFLOW.encode()).decode()})
        call("POST", "/repos/alice/site/contents", json={"message": f"Add module {number}",
                                                          "files": files})
    for number in range(40):
        call("POST", "/repos/alice/site/issues", json={"title": f"Issue {number}",
                                                       "body": f"About **module {number}**."})
    for number in range(10):
        call("POST", "/repos/alice/site/issues/3/comments", json={"body": f"Comment {number}"})
    call("POST", "/repos/alice/site/branches", json={"new_branch_name": "topic"})
    call("POST", "/repos/alice/site/contents/topic.txt", json={
        "branch": "topic", "message": "Topic", "content": base64.b64encode(b"x\n").decode()})
    call("POST", "/repos/alice/site/pulls", json={"head": "topic", "base": "main",
                                                  "title": "A topic"})
    call("POST", "/repos/alice/site/actions/workflows/ci.yml/dispatches",
         json={"ref": "main", "inputs": {"target": "staging"}})
    return call("GET", "/repos/alice/site/branches/main")["commit"]["id"]


def signed_in(url: str, user: str = "alice") -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{url}/user/login", timeout=30).text
    token = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
    response = browser.post(f"{url}/user/login", timeout=30, allow_redirects=False,
                            data={"_csrf": token, "user_name": user, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return browser


def timed(session: requests.Session, url: str, count: int) -> tuple[float, float]:
    """p50 and p99 in ms of ``count`` sequential GETs, after ten to warm up."""
    for _ in range(10):
        assert session.get(url, timeout=30).status_code == 200, url
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        session.get(url, timeout=30)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.99))]


def measure(database: str = "sqlite", count: int = 200) -> dict:
    """Each page's (p50, p99) and, as the same-run baseline, the API's repository GET's."""
    with tempfile.TemporaryDirectory() as folder, table.scratch_database(database) as url, \
            run_live_server(pathlib.Path(folder), url, accounts={"bcrypt_rounds": 4}) as server:
        for user, admin in (("alice", []), ("root", ["--admin"])):
            server.plue("admin", "user", "create", "--username", user, "--password",
                        PASSWORD, "--email", f"{user}@example.org", *admin)
        token = server.plue("admin", "token", "create", "--username", "alice",
                            "--name", "bench").stdout.strip()
        sha = seed(server.url)
        browser, admin = signed_in(server.url), signed_in(server.url, "root")
        api = requests.Session()
        api.headers["Authorization"] = f"token {token}"
        pages = {}
        for page, session in [(page, browser) for page in PAGES + ACTIONS_PAGES] + \
                [(page, admin) for page in ADMIN_PAGES]:  # keyed by the template (no sha)
            pages[page] = timed(session, server.url + page.format(sha=sha), count)
            print(f"{page[:48]:<48} {pages[page][0]:8.1f} {pages[page][1]:8.1f}", flush=True)
        return {"database": table.label(database), "pages": pages,
                "api": timed(api, f"{server.url}/api/v1/repos/alice/site", count)}


def profile(pages: list[str], database: str = "sqlite", count: int = 50) -> None:
    """Each of ``pages`` in process (falcon's test client on the seeded server's config and
    database), as alice (root for the admin pages): statements per request, then cProfile."""
    import cProfile
    import pstats

    import falcon.testing

    from plue_core import create_app
    from plue_core.config import load_config

    with tempfile.TemporaryDirectory() as folder, table.scratch_database(database) as url, \
            run_live_server(pathlib.Path(folder), url, accounts={"bcrypt_rounds": 4}) as server:
        for user, admin in (("alice", []), ("root", ["--admin"])):
            server.plue("admin", "user", "create", "--username", user, "--password",
                        PASSWORD, "--email", f"{user}@example.org", *admin)
        sha = seed(server.url)
        cookies = {user: signed_in(server.url, user).cookies.get_dict()
                   for user in ("alice", "root")}
        app = create_app(load_config(path=str(server.config_path), environ={}))
        client = falcon.testing.TestClient(app)
        for page in pages:
            path, _, query = page.format(sha=sha).partition("?")
            cookie = "; ".join(f"{k}={v}" for k, v in cookies[
                "root" if page in ADMIN_PAGES else "alice"].items())

            def get():
                answer = client.simulate_get(path, query_string=query,
                                             headers={"Cookie": cookie})
                assert answer.status_code == 200, (page, answer.status_code)

            for _ in range(5):
                get()
            with recorded_statements(app.plue.db) as queries:
                get()
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.enable()
            for _ in range(count):
                get()
            profiler.disable()
            spent = (time.perf_counter() - start) * 1000 / count
            print(f"\n== {page}: {spent:.1f} ms per request (profiled), "
                  f"{len(queries)} statements")
            for number, sql in enumerate(queries, 1):
                print(f"  {number:2}. {' '.join(sql.split())[:150]}")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def table_rows(found: dict) -> list[table.Row]:
    """The ``make bench`` rows of one measurement (issue 15: p50 ≤ 30 ms per page)."""
    api_p50, api_p99 = found["api"]
    baseline = f"API repository GET: p50 {api_p50:.1f} ms, p99 {api_p99:.1f} ms"
    return [table.Row(f"web page {path} p50 ≤ {P50_TARGET_MS} ms",
                      f"p50 {p50:.1f} ms, p99 {p99:.1f} ms", baseline, p50 <= P50_TARGET_MS,
                      found["database"])
            for path, (p50, p99) in found["pages"].items()]


def rows() -> list[table.Row]:
    """Issue 15's page times on each of ``table.databases()``: 100 requests per page per
    ``table.rounds()`` (200 by default, as the script)."""
    found: list[table.Row] = []
    for database in table.databases():
        found += table_rows(measure(database, 100 * table.rounds()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", nargs="+", metavar="PAGE")
    options = parser.parse_args()
    database = "postgresql" if options.postgres else "sqlite"
    if options.profile:
        profile(options.profile, database)
        return
    print(f"{'page':<48} {'p50 ms':>8} {'p99 ms':>8}")
    table.print_table(table_rows(measure(database, options.requests)))


if __name__ == "__main__":
    main()
