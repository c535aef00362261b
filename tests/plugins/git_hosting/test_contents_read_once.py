"""A contents GET reads each git object it needs once (docs/serving.md, "Round ten: contents
GET and the run list"): the tree a path is looked up in was read, then read and parsed again
by dulwich's walk; a kept repository remembers its small objects' bytes across requests; and
a ref name's format is checked once per name, not on every request."""

from __future__ import annotations

import base64
import collections

import pytest


@pytest.fixture
def object_reads(forge, monkeypatch):
    """The object ids read from the repositories' object stores (every read goes through
    ``get_raw``), counted from when the fixture is used; and the repository's git directory."""
    from dulwich.repo import Repo

    forge.create_repo("demo", auto_init=True)
    git_dir = forge.ctx.services["git_hosting"].storage.path("alice", "demo")
    opened = Repo(str(git_dir))
    store_class = type(opened.object_store)
    opened.close()
    reads: list[bytes] = []
    get_raw = store_class.get_raw

    def counting(store, name):
        reads.append(name)
        return get_raw(store, name)

    monkeypatch.setattr(store_class, "get_raw", counting)
    return reads, git_dir


@pytest.mark.parametrize("path", ["small.txt", "dir/sub/file.txt"])
def test_looking_up_a_path_reads_each_tree_on_it_once(forge, object_reads, path):
    from dulwich.repo import Repo

    from plue_git_hosting import git_reading

    reads, git_dir = object_reads
    forge.create_file("alice/demo", path, b"a small file\n")
    repo = Repo(str(git_dir))
    try:
        tree = repo[repo.refs[b"refs/heads/main"]].tree
        reads.clear()
        entry = git_reading.lookup_path(repo, tree, path)
    finally:
        repo.close()
    assert entry is not None and entry.kind == "file"
    assert len(reads) == 1 + path.count("/")  # the root and each directory on the way
    assert collections.Counter(reads).most_common(1)[0][1] == 1


def test_a_kept_repository_reads_a_contents_gets_objects_once(forge, object_reads):
    reads, _ = object_reads
    forge.create_file("alice/demo", "dir/small.txt", b"a small file\n", new_branch="topic")
    url = "/repos/alice/demo/contents/dir/small.txt"
    first = forge.get(url, params={"ref": "topic"})
    assert first.status_code == 200, first.text
    reads.clear()
    for _ in range(3):
        assert forge.get(url, params={"ref": "topic"}).json == first.json
    assert reads == []  # the commit, both trees and the blob remembered
    # A new commit on the branch is seen at once: its ref is read afresh on each request.
    forge.put("/repos/alice/demo/contents/dir/small.txt", {
        "content": base64.b64encode(b"changed\n").decode(), "sha": first.json["sha"],
        "branch": "topic", "message": "change"})
    changed = forge.get(url, params={"ref": "topic"})
    assert base64.b64decode(changed.json["content"]) == b"changed\n"
    assert changed.json["last_commit_sha"] != first.json["last_commit_sha"]


def test_what_a_repository_remembers_is_bounded(tmp_path, monkeypatch):
    from dulwich.objects import Blob

    from plue_git_hosting import remembered_objects

    monkeypatch.setattr(remembered_objects, "BYTES", 3000)
    monkeypatch.setattr(remembered_objects, "OBJECT_BYTES", 1000)
    repo = remembered_objects.open_repository(_bare(tmp_path))
    try:
        blobs = [Blob.from_string(bytes([65 + n]) * 900) for n in range(5)]
        big = Blob.from_string(b"x" * 1001)
        for blob in [*blobs, big]:
            repo.object_store.add_object(blob)
        for blob in [*blobs, big]:
            assert repo[blob.id].as_raw_string() == blob.as_raw_string()
        assert list(repo.remembered) == [blob.id for blob in blobs[-3:]]  # big is not kept
        changed = repo[blobs[-1].id]
        changed.data = b"mine"  # a caller's own object: what is remembered stays as read
        assert repo[blobs[-1].id].as_raw_string() == blobs[-1].as_raw_string()
    finally:
        repo.close()


def _bare(tmp_path) -> str:
    import subprocess

    path = tmp_path / "bare.git"
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return str(path)


def test_a_ref_name_is_checked_once_and_a_bad_one_is_still_no_ref(forge, monkeypatch):
    import dulwich.refs

    from plue_git_hosting import git_reading

    forge.create_repo("demo", auto_init=True)
    forge.create_file("alice/demo", "small.txt", b"a small file\n", new_branch="topic")
    checked: list[bytes] = []
    check = dulwich.refs.check_ref_format

    def counting(name):
        checked.append(name)
        return check(name)

    monkeypatch.setattr(dulwich.refs, "check_ref_format", counting)
    git_reading._is_ref_name.cache_clear()
    for _ in range(3):
        assert forge.get("/repos/alice/demo/contents/small.txt",
                         params={"ref": "topic"}).status_code == 200
    assert checked.count(b"refs/heads/topic") == 1
    for bad in ("a..b", "topic.lock", "../topic"):
        response = forge.get("/repos/alice/demo/contents/small.txt", params={"ref": bad})
        assert response.status_code == 404, (bad, response.text)
