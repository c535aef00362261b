"""Repositories kept open for reading across requests (plue_git_hosting.open_repositories):
one per thread, reused while its directory is the one it was opened from, bounded, and what a
writer adds is seen by the kept one at once."""

from __future__ import annotations

import base64
import os
import subprocess
import threading

import falcon.testing

from plue_core.db import connection
from plue_core.testing import UserApi
from plue_git_hosting.open_repositories import OpenRepositories



class _Alice(UserApi):
    default_user = "alice"

    def __init__(self, client):
        self.client = client


def _opened_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def _kept_repo(ctx, repository_name: str):
    hosting = ctx.services["git_hosting"]
    with connection(ctx.db):
        repository = hosting.find_repository("alice", repository_name)
    with hosting.open_git(repository) as repo:
        return repo


def test_a_push_through_git_is_read_at_once_by_the_warmed_threads_kept_repository(in_process_server):
    server = in_process_server()
    client = falcon.testing.TestClient(server.app)  # this thread, as a worker's thread
    api = _Alice(client)
    assert api.post("/user/repos", {"name": "demo", "auto_init": True}).status_code == 201
    bare = server.ctx.services["git_hosting"].storage.path("alice", "demo")
    # receive-pack keeps what it receives as a pack (not loose objects), as for a large push
    server.git("--git-dir", str(bare), "config", "receive.unpackLimit", "1")
    work = server.tmp_path / "work"
    server.git("clone", server.remote("alice/demo"), str(work))

    def push(name: str, text: str) -> None:
        (work / name).write_text(text)
        server.git("add", name, cwd=work)
        server.git("commit", "-q", "-m", f"add {name}", cwd=work)
        server.git("push", "origin", "HEAD:main", cwd=work)

    push("first.txt", "the first push\n")
    assert api.get("/repos/alice/demo/contents/first.txt").status_code == 200
    warmed = _kept_repo(server.ctx, "demo")
    packs_before = set(os.listdir(bare / "objects" / "pack"))

    push("new.txt", "pushed after the warming\n")
    assert set(os.listdir(bare / "objects" / "pack")) - packs_before, "the push made no pack"
    response = api.get("/repos/alice/demo/contents/new.txt")
    assert response.status_code == 200, response.text
    assert base64.b64decode(response.json["content"]) == b"pushed after the warming\n"
    assert _kept_repo(server.ctx, "demo") is warmed  # found by the kept repository, not a new one


def test_a_deleted_or_renamed_repository_is_never_read_from_its_kept_handle(forge):
    forge.create_repo("demo")
    forge.create_file("alice/demo", "a.txt", b"first demo\n")
    assert base64.b64decode(forge.get("/repos/alice/demo/contents/a.txt").json["content"]) == b"first demo\n"
    first = _kept_repo(forge.ctx, "demo")

    assert forge.patch("/repos/alice/demo", {"name": "moved"}).status_code == 200
    forge.create_repo("demo")
    forge.create_file("alice/demo", "a.txt", b"second demo\n")
    assert base64.b64decode(forge.get("/repos/alice/demo/contents/a.txt").json["content"]) == b"second demo\n"
    assert base64.b64decode(forge.get("/repos/alice/moved/contents/a.txt").json["content"]) == b"first demo\n"

    assert forge.delete("/repos/alice/demo").status_code == 204
    forge.create_repo("demo")
    forge.create_file("alice/demo", "a.txt", b"third demo\n")
    assert base64.b64decode(forge.get("/repos/alice/demo/contents/a.txt").json["content"]) == b"third demo\n"
    assert _kept_repo(forge.ctx, "demo") is not first


def test_a_thread_keeps_a_few_repositories_and_its_open_files_stay_bounded(forge):
    hosting = forge.ctx.services["git_hosting"]
    names = [f"r{index}" for index in range(12)]
    for name in names:
        forge.create_repo(name, auto_init=True)
    for name in names:  # the first round opens each, the rest only reopen the evicted
        assert forge.get(f"/repos/alice/{name}/contents/README.md").status_code == 200
    opened = _opened_files()
    for _round in range(5):
        for name in names:
            assert forge.get(f"/repos/alice/{name}/contents/README.md").status_code == 200
    assert _opened_files() <= opened
    assert hosting.open_repositories.kept() == 4


def test_each_thread_has_its_own_and_a_repository_in_use_is_not_closed_under_it(tmp_path):
    from dulwich.repo import Repo

    closed = []

    class Recorded(Repo):
        def close(self):
            closed.append(self)
            super().close()

    paths = [tmp_path / f"r{index}.git" for index in range(4)]
    for path in paths:
        Repo.init_bare(str(path), mkdir=True).close()
    repositories = OpenRepositories(lambda path: Recorded(str(path)), per_thread=2)
    opened = {}
    with repositories.using(paths[0]) as outer:
        for path in paths[1:]:  # more than the thread keeps, while the first is in use
            with repositories.using(path) as repo:
                opened[path] = repo
        assert closed == [opened[paths[1]], opened[paths[2]]]  # the least recently used idle
    assert repositories.kept() == 2 and outer not in closed
    with repositories.using(paths[0]) as again:
        assert again is outer

    # replaced under a reader (renamed away, a new one in its place): the reader keeps its
    # handle until its block ends, the next use gets the new directory's
    with repositories.using(paths[0]) as reading:
        os.rename(paths[0], tmp_path / "away.git")
        Repo.init_bare(str(paths[0]), mkdir=True).close()
        with repositories.using(paths[0]) as replaced:
            assert replaced is not reading
        assert reading not in closed
    assert reading in closed

    other = []

    def read_elsewhere():
        with repositories.using(paths[3]) as repo:
            other.append(repo)

    thread = threading.Thread(target=read_elsewhere)
    thread.start()
    thread.join()
    with repositories.using(paths[3]) as mine:
        assert mine is not other[0]
    assert other[0] in closed  # its thread ended

    with repositories.using(tmp_path / "missing.git") as missing:
        assert missing is None


def _repository_of_packs(path, packs: int) -> None:
    """A bare repository whose objects are in ``packs`` packs (one commit each, repacked
    without -a, as pushes leave them before maintenance)."""
    git = ["git", "-c", "user.name=a", "-c", "user.email=a@example.com"]
    subprocess.run([*git, "init", "-q", "--bare", str(path)], check=True)
    for index in range(packs):
        blob = subprocess.run([*git, "--git-dir", str(path), "hash-object", "-w", "--stdin"],
                              input=f"{path.name} {index}\n", text=True, check=True,
                              capture_output=True).stdout.strip()
        subprocess.run([*git, "--git-dir", str(path), "update-ref", f"refs/tags/t{index}", blob],
                       check=True)
        subprocess.run([*git, "--git-dir", str(path), "repack", "-q", "-d"], check=True)
    assert len([name for name in os.listdir(path / "objects" / "pack")
                if name.endswith(".pack")]) == packs


def _read_every_object(repo) -> None:
    for tag in repo.refs.as_dict(b"refs/tags").values():
        assert repo[tag].data  # its pack's index and data opened


def test_what_a_thread_keeps_is_bounded_by_the_packs_it_holds_open(tmp_path):
    from dulwich.repo import Repo

    paths = [tmp_path / f"r{index}.git" for index in range(8)]
    for path in paths:
        _repository_of_packs(path, 5)
    many = tmp_path / "many.git"
    _repository_of_packs(many, 13)
    repositories = OpenRepositories(lambda path: Repo(str(path)), per_thread=4,
                                    packs_per_thread=12)

    def read(path):
        with repositories.using(path) as repo:
            _read_every_object(repo)
            return repo

    first = read(paths[0])
    read(paths[1])
    assert repositories.kept() == 2  # 10 packs
    read(paths[2])  # 15: the least recently used goes
    assert repositories.kept() == 2 and not first.object_store._pack_cache
    opened = _opened_files()
    for _round in range(3):
        for path in paths:
            read(path)
    # two repositories of 5 packs kept (4 descriptors a pack once read), never the four of
    # 5 packs (80 descriptors) the bound by repositories alone would keep
    assert repositories.kept() == 2 and _opened_files() <= opened

    # one that alone holds more than the bound is read, then closed
    repo = read(many)
    assert repositories.kept() == 0 and not repo.object_store._pack_cache
    assert _opened_files() <= opened - 2 * 5 * 4
