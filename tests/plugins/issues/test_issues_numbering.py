"""Issue numbers under concurrent creation: threads in one process, separate processes on the
same database, and parallel HTTP clients against the real gunicorn server. Numbers must come
out exactly 1..N, none duplicated, none skipped, on SQLite and on PostgreSQL."""

from __future__ import annotations

import concurrent.futures
import multiprocessing

import pytest
import requests

from plue_core import create_app
from plue_core.db import connection, write_transaction
from plue_core import testing
from plue_core.testing import DEFAULT_PASSWORD, basic_auth

THREADS, PER_THREAD = 8, 10


def numbers_in(tracker, repo: str = "alice/tracker") -> list[int]:
    numbers, page = [], 1
    while True:
        batch = tracker.get(f"/repos/{repo}/issues", params={"state": "all", "limit": 50,
                                                             "page": page}).json
        numbers += [issue["number"] for issue in batch]
        if len(batch) < 50:
            return sorted(numbers)
        page += 1


def test_parallel_threads_get_gap_free_numbers(tracker):
    def open_issues(worker: int) -> list[int]:
        made = []
        for n in range(PER_THREAD):
            response = tracker.client.simulate_post(
                "/api/v1/repos/alice/tracker/issues", json={"title": f"w{worker} #{n}"},
                headers=basic_auth("wanda" if worker % 2 else "alice"))
            assert response.status_code == 201, response.text
            made.append(response.json["number"])
        return made

    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        answered = [n for made in pool.map(open_issues, range(THREADS)) for n in made]
    total = THREADS * PER_THREAD
    assert sorted(answered) == list(range(1, total + 1))
    assert numbers_in(tracker) == list(range(1, total + 1))
    assert tracker.open_issues_count() == total


def test_a_rolled_back_creation_gives_its_number_back(tracker):
    ctx = tracker.ctx
    service = ctx.services["issues"]
    with connection(ctx.db):
        repository = ctx.services["git_hosting"].find_repository("alice", "tracker")

        class Abandon(Exception):
            pass

        with pytest.raises(Abandon):
            with write_transaction():
                assert service.allocate_number(repository.id) == 1
                raise Abandon
        with write_transaction():
            assert service.allocate_number(repository.id) == 1
            assert service.allocate_number(repository.id) == 2


def _create_in_own_process(config_overrides: dict, count: int, worker: int) -> list[int]:
    """Run in a separate process: its own app, connection pool and transactions."""
    from plue_core.config import load_config

    app = create_app(load_config(overrides=config_overrides, environ={}))
    ctx = app.plue
    made = []
    try:
        with connection(ctx.db):
            repository = ctx.services["git_hosting"].find_repository("alice", "tracker")
            poster = ctx.services["accounts"].find_user("alice")
            for n in range(count):
                issue = ctx.services["issues"].create_issue(repository, poster,
                                                            title=f"process {worker} #{n}")
                made.append(issue.number)
    finally:
        ctx.close()
    return made


def test_separate_processes_get_gap_free_numbers(tracker, tmp_path, plue_database_url):
    overrides = testing.testing_overrides(tmp_path, plue_database_url)
    processes, count = 4, 12
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(processes, mp_context=context) as pool:
        futures = [pool.submit(_create_in_own_process, overrides, count, w) for w in range(processes)]
        answered = [n for future in futures for n in future.result(timeout=120)]
    total = processes * count
    assert sorted(answered) == list(range(1, total + 1))
    assert numbers_in(tracker) == list(range(1, total + 1))
    assert tracker.open_issues_count() == total


@pytest.mark.e2e
def test_parallel_http_clients_against_gunicorn_get_gap_free_numbers(live_server):
    live_server.plue("admin", "user", "create", "--username", "numberer", "--email",
                     "numberer@example.com", "--password", DEFAULT_PASSWORD)
    api = f"{live_server.url}/api/v1"
    auth = ("numberer", DEFAULT_PASSWORD)
    created = requests.post(f"{api}/user/repos", json={"name": "busy"}, auth=auth, timeout=30)
    assert created.status_code == 201, created.text

    def open_issues(worker: int) -> list[int]:
        session = requests.Session()
        session.auth = auth
        made = []
        for n in range(PER_THREAD):
            response = session.post(f"{api}/repos/numberer/busy/issues",
                                     json={"title": f"client {worker} #{n}"}, timeout=60)
            assert response.status_code == 201, response.text
            made.append(response.json()["number"])
        return made

    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        answered = [n for made in pool.map(open_issues, range(THREADS)) for n in made]
    total = THREADS * PER_THREAD
    assert sorted(answered) == list(range(1, total + 1))
    listed = requests.get(f"{api}/repos/numberer/busy/issues", params={"limit": 1}, timeout=30)
    assert listed.headers["X-Total-Count"] == str(total)
    assert listed.json()[0]["number"] == total
    repository = requests.get(f"{api}/repos/numberer/busy", timeout=30).json()
    assert repository["open_issues_count"] == total
