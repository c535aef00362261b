"""git's automatic maintenance after a push runs after the push is answered
(``push_maintenance``), not inside receive-pack, where the push waited for it."""

from __future__ import annotations

import time

import requests

from plue_core.db import connection
from plue_core.testing import DEFAULT_PASSWORD

from plue_git_hosting import push_maintenance


def _packs(bare) -> int:
    return len(list((bare / "objects" / "pack").glob("*.pack")))


def _commit(server, work, name: str) -> None:
    (work / name).write_text(f"{name}\n")
    server.git("add", name, cwd=work)
    server.git("commit", "-q", "-m", name, cwd=work)


def test_a_push_is_answered_before_git_packs_the_repository_which_it_does_a_moment_later(
        in_process_server, monkeypatch):
    monkeypatch.setattr(push_maintenance, "DELAY", 1.5)
    server = in_process_server()
    hosting = server.ctx.services["git_hosting"]
    work = server.tmp_path / "work"
    server.git("init", "-q", "-b", "main", str(work))
    assert requests.post(f"{server.url}/api/v1/user/repos", json={"name": "demo"},
                         auth=("alice", DEFAULT_PASSWORD)).status_code == 201
    with connection(server.ctx.db):
        bare = hosting.path_of(hosting.find_repository("alice", "demo"))
    # Every push keeps its pack, and two packs are one too many: git's auto gc repacks.
    for key, value in (("receive.unpackLimit", "1"), ("gc.autoPackLimit", "1"),
                       ("gc.autoDetach", "false")):
        server.git("--git-dir", str(bare), "config", key, value)
    for name in ("one", "two"):
        _commit(server, work, name)
        server.git("push", "-q", server.remote("alice/demo"), "HEAD:main", cwd=work)
    assert _packs(bare) == 2  # answered: receive-pack ran no maintenance
    deadline = time.monotonic() + 30
    while _packs(bare) != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _packs(bare) == 1  # then the push's maintenance packed them, once for both pushes
    log = server.git("--git-dir", str(bare), "log", "--format=%s", "main").stdout.split()
    assert log == ["two", "one"]


def test_a_burst_of_pushes_to_one_repository_asks_for_one_maintenance(in_process_server,
                                                                       monkeypatch):
    started = []
    monkeypatch.setattr(push_maintenance, "DELAY", 30.0)
    monkeypatch.setattr(push_maintenance.threading, "Timer", _recording_timer(started))
    server = in_process_server()
    hosting = server.ctx.services["git_hosting"]
    for name in ("a", "b"):
        assert requests.post(f"{server.url}/api/v1/user/repos", json={"name": name},
                             auth=("alice", DEFAULT_PASSWORD)).status_code == 201
    with connection(server.ctx.db):
        a, b = (hosting.find_repository("alice", name) for name in ("a", "b"))
    for repository in (a, a, b, a):
        push_maintenance.after_push(hosting, repository)
    assert [args[1] for args in started] == [a.id, b.id]
    for args in started:
        push_maintenance._run(*args)  # due: the next push to the repository asks again
    push_maintenance.after_push(hosting, a)
    assert [args[1] for args in started][-1] == a.id and len(started) == 3
    push_maintenance._pending.clear()


def _recording_timer(started):
    class Timer:
        def __init__(self, delay, function, args):
            self.args = args

        def start(self):
            started.append(self.args)

    return Timer


def test_the_maintenance_of_a_repository_deleted_meanwhile_takes_no_lock(in_process_server):
    server = in_process_server()
    hosting = server.ctx.services["git_hosting"]
    assert requests.post(f"{server.url}/api/v1/user/repos", json={"name": "gone"},
                         auth=("alice", DEFAULT_PASSWORD)).status_code == 201
    with connection(server.ctx.db):
        repository = hosting.find_repository("alice", "gone")
    path = hosting.path_of(repository)
    assert requests.delete(f"{server.url}/api/v1/repos/alice/gone",
                           auth=("alice", DEFAULT_PASSWORD)).status_code == 204
    lock = hosting.storage.locks_dir / f"{repository.id}.lock"
    lock.unlink(missing_ok=True)
    push_maintenance._run(hosting, repository.id, path, "git")
    # Nothing to keep: no lock file made for it (a test's data directory may be gone too).
    assert not lock.exists()
