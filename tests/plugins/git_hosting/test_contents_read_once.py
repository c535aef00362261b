"""A contents GET reads each git object it needs once (docs/serving.md, "Round ten: contents
GET and the run list"): the tree a path is looked up in was read, then read and parsed again
by dulwich's walk; and a ref name's format is checked once per name, not on every request."""

from __future__ import annotations

import collections

import pytest


@pytest.fixture
def object_reads(forge, monkeypatch):
    """The object ids read from the repositories' object stores (every read goes through
    ``get_raw``), counted from when the fixture is used."""
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
    return reads


@pytest.mark.parametrize("path", ["small.txt", "dir/sub/file.txt"])
def test_a_contents_get_reads_each_object_once(forge, object_reads, path):
    forge.create_file("alice/demo", path, b"a small file\n", new_branch="topic")
    url = f"/repos/alice/demo/contents/{path}"
    first = forge.get(url, params={"ref": "topic"})  # walks the history once (then cached)
    assert first.status_code == 200, first.text
    object_reads.clear()
    again = forge.get(url, params={"ref": "topic"})
    assert again.json == first.json
    # the commit, a tree for each directory on the path (the root included), the blob
    assert len(object_reads) == 2 + path.count("/") + 1
    assert collections.Counter(object_reads).most_common(1)[0][1] == 1


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
