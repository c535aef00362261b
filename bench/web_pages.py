#!/usr/bin/env python3
"""What the web pages cost under ``make serve``: p50 and p99 of each main page, signed in
with a web session, against the real server (gunicorn) on a small dataset (a repository with
60 files over 40 commits, 40 issues with comments, a pull request). The issue's target is a
p50 of 30 ms or less per page.

Sequential requests from one client (``requests``), after a warm-up: the time a person waits
for the HTML, not the throughput (``bench/api_hot_path.py`` measures that for the API).

Usage: python bench/web_pages.py [--postgres] [--requests 200]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plue_core.testing import run_live_server  # noqa: E402

PASSWORD = "bench-password-123"
PAGES = ["/", "/explore/repos", "/alice", "/alice/site", "/alice/site/src/branch/main/src",
         "/alice/site/src/branch/main/src/module_7.py", "/alice/site/commits/branch/main",
         "/alice/site/commit/{sha}", "/alice/site/branches", "/alice/site/issues",
         "/alice/site/issues/3", "/alice/site/pulls/41", "/alice/site/pulls/41/files"]


@contextlib.contextmanager
def database(postgres: bool, tmp: pathlib.Path):
    if not postgres:
        yield f"sqlite:///{tmp}/plue.db"
        return
    cluster = subprocess.run([str(ROOT / "tools" / "postgres-test-cluster.sh"), "start"],
                             capture_output=True, text=True, check=True)
    url = cluster.stdout.strip().splitlines()[-1]
    try:
        yield url
    finally:
        subprocess.run([str(ROOT / "tools" / "postgres-test-cluster.sh"), "stop"], check=False)


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
    return call("GET", "/repos/alice/site/branches/main")["commit"]["id"]


def signed_in(url: str) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{url}/user/login", timeout=30).text
    token = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
    response = browser.post(f"{url}/user/login", timeout=30, allow_redirects=False,
                            data={"_csrf": token, "user_name": "alice", "password": PASSWORD})
    assert response.status_code == 303, response.text
    return browser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--requests", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = pathlib.Path(folder)
        with database(options.postgres, tmp) as url, \
                run_live_server(tmp, url, accounts={"bcrypt_rounds": 4}) as server:
            server.plue("admin", "user", "create", "--username", "alice", "--password",
                        PASSWORD, "--email", "alice@example.org")
            sha = seed(server.url)
            browser = signed_in(server.url)
            print(f"{'page':<48} {'p50 ms':>8} {'p99 ms':>8}")
            for page in PAGES:
                path = page.format(sha=sha)
                for _ in range(10):  # warm-up
                    assert browser.get(server.url + path, timeout=30).status_code == 200, path
                timings = []
                for _ in range(options.requests):
                    start = time.perf_counter()
                    browser.get(server.url + path, timeout=30)
                    timings.append((time.perf_counter() - start) * 1000)
                timings.sort()
                p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
                print(f"{path[:48]:<48} {statistics.median(timings):8.1f} {p99:8.1f}")


if __name__ == "__main__":
    main()
