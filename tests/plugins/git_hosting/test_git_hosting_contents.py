"""The contents API: every write is a real commit on the bare repository, with Gitea's
FileResponse; reads return files in base64 and directories as lists."""

from __future__ import annotations

import base64
import subprocess

import pytest
from dulwich.repo import Repo

B64 = lambda data: base64.b64encode(data).decode()  # noqa: E731


def git_dir(forge, owner="alice", name="demo"):
    return forge.ctx.services["git_hosting"].storage.path(owner, name)


def fsck(path) -> None:
    result = subprocess.run(["git", "--git-dir", str(path), "fsck", "--strict"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_creating_a_file_makes_a_commit_and_answers_with_a_file_response(forge):
    forge.create_repo("demo", auto_init=True)
    response = forge.post("/repos/alice/demo/contents/docs/guide.md",
                          {"content": B64(b"# Guide\n"), "message": "Add the guide"})
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"content", "commit", "verification"}
    content, commit = body["content"], body["commit"]
    assert content["path"] == "docs/guide.md" and content["name"] == "guide.md"
    assert content["type"] == "file" and content["size"] == 8
    assert base64.b64decode(content["content"]) == b"# Guide\n"
    assert content["last_commit_sha"] == commit["sha"]
    assert commit["message"] == "Add the guide\n"
    assert commit["author"]["name"] == "alice" and commit["author"]["email"] == "alice@example.com"
    assert len(commit["parents"]) == 1
    assert commit["url"].endswith(f"/api/v1/repos/alice/demo/git/commits/{commit['sha']}")
    assert body["verification"]["verified"] is False
    with Repo(str(git_dir(forge))) as git_repo:
        assert git_repo.refs[b"refs/heads/main"].decode() == commit["sha"]
    fsck(git_dir(forge))


def test_the_first_file_in_an_empty_repository_creates_its_default_branch(forge):
    forge.create_repo("demo")
    assert forge.get("/repos/alice/demo/contents").json == []
    assert forge.get("/repos/alice/demo/contents/README.md").status_code == 404
    body = forge.create_file("alice/demo", "README.md", b"hello\n")
    assert body["commit"]["parents"] == []
    repo = forge.get("/repos/alice/demo").json
    assert repo["empty"] is False and repo["branch_count"] == 1


def test_reading_a_file_returns_base64_content_and_its_last_commit(forge):
    forge.create_repo("demo", auto_init=True)
    created = forge.create_file("alice/demo", "a.txt", b"one\n")
    forge.create_file("alice/demo", "b.txt", b"two\n")
    body = forge.get("/repos/alice/demo/contents/a.txt").json
    assert base64.b64decode(body["content"]) == b"one\n" and body["encoding"] == "base64"
    assert body["last_commit_sha"] == created["commit"]["sha"]
    assert body["download_url"] == "http://127.0.0.1:8000/alice/demo/raw/branch/main/a.txt"
    assert body["_links"]["git"] == body["git_url"]


def test_a_directory_is_listed_without_content(forge):
    forge.create_repo("demo", auto_init=True)
    forge.create_file("alice/demo", "src/app.py", b"print(1)\n")
    forge.create_file("alice/demo", "src/lib/util.py", b"x = 1\n")
    listing = forge.get("/repos/alice/demo/contents/src").json
    assert [(e["name"], e["type"]) for e in listing] == [("app.py", "file"), ("lib", "dir")]
    assert all(e["content"] is None for e in listing)
    root = forge.get("/repos/alice/demo/contents").json
    assert {e["name"] for e in root} == {"README.md", "src"}


def test_reading_at_a_ref_sees_that_ref(forge):
    forge.create_repo("demo", auto_init=True)
    forge.create_file("alice/demo", "f.txt", b"on a branch\n", new_branch="feature")
    assert forge.get("/repos/alice/demo/contents/f.txt").status_code == 404
    body = forge.get("/repos/alice/demo/contents/f.txt", params={"ref": "feature"}).json
    assert base64.b64decode(body["content"]) == b"on a branch\n"
    assert forge.get("/repos/alice/demo/contents/f.txt", params={"ref": "nope"}).status_code == 404


def test_updating_needs_the_current_sha_and_a_stale_sha_is_a_conflict(forge):
    forge.create_repo("demo", auto_init=True)
    sha = forge.create_file("alice/demo", "f.txt", b"v1\n")["content"]["sha"]
    updated = forge.put("/repos/alice/demo/contents/f.txt", {"content": B64(b"v2\n"), "sha": sha})
    assert updated.status_code == 200
    assert base64.b64decode(updated.json["content"]["content"]) == b"v2\n"
    stale = forge.put("/repos/alice/demo/contents/f.txt", {"content": B64(b"v3\n"), "sha": sha})
    assert stale.status_code == 409
    assert "sha does not match" in stale.json["message"]
    # Without a sha, PUT means create (Gitea), and the file exists.
    assert forge.put("/repos/alice/demo/contents/f.txt", {"content": B64(b"v3\n")}).status_code == 422
    assert forge.put("/repos/alice/demo/contents/new.txt", {"content": B64(b"n\n")}).status_code == 201


def test_creating_a_file_that_exists_is_refused(forge):
    forge.create_repo("demo", auto_init=True)
    response = forge.post("/repos/alice/demo/contents/README.md", {"content": B64(b"x")})
    assert response.status_code == 422
    assert "already exists" in response.json["message"]


def test_deleting_a_file_needs_its_sha_and_answers_with_a_null_content(forge):
    forge.create_repo("demo", auto_init=True)
    sha = forge.create_file("alice/demo", "f.txt", b"bye\n")["content"]["sha"]
    assert forge.delete("/repos/alice/demo/contents/f.txt", {"sha": "0" * 40}).status_code == 409
    assert forge.delete("/repos/alice/demo/contents/f.txt", {}).status_code == 422
    response = forge.delete("/repos/alice/demo/contents/f.txt", {"sha": sha, "message": "Remove f"})
    assert response.status_code == 200
    assert response.json["content"] is None and response.json["commit"]["message"] == "Remove f\n"
    assert forge.get("/repos/alice/demo/contents/f.txt").status_code == 404
    assert forge.delete("/repos/alice/demo/contents/f.txt", {"sha": sha}).status_code == 404


def test_renaming_a_file_with_from_path_moves_it_in_one_commit(forge):
    forge.create_repo("demo", auto_init=True)
    sha = forge.create_file("alice/demo", "old.txt", b"same\n")["content"]["sha"]
    response = forge.put("/repos/alice/demo/contents/new.txt",
                         {"content": B64(b"same\n"), "sha": sha, "from_path": "old.txt"})
    assert response.status_code == 200
    assert forge.get("/repos/alice/demo/contents/old.txt").status_code == 404
    assert forge.get("/repos/alice/demo/contents/new.txt").json["sha"] == sha


def test_several_files_change_in_one_commit(forge):
    forge.create_repo("demo", auto_init=True)
    readme_sha = forge.get("/repos/alice/demo/contents/README.md").json["sha"]
    response = forge.post("/repos/alice/demo/contents", {"files": [
        {"operation": "create", "path": "a.txt", "content": B64(b"a\n")},
        {"operation": "create", "path": "dir/b.txt", "content": B64(b"b\n")},
        {"operation": "delete", "path": "README.md", "sha": readme_sha},
    ]})
    assert response.status_code == 201
    body = response.json
    assert [f["path"] if f else None for f in body["files"]] == ["a.txt", "dir/b.txt", None]
    assert body["commit"]["message"] == "Add a.txt, dir/b.txt\nDelete README.md\n"
    commits = forge.get("/repos/alice/demo/commits").json
    assert len(commits) == 2
    assert sorted((f["filename"], f["status"]) for f in commits[0]["files"]) == [
        ("README.md", "removed"), ("a.txt", "added"), ("dir/b.txt", "added")]
    fsck(git_dir(forge))


def test_a_failing_operation_in_a_batch_changes_nothing(forge):
    forge.create_repo("demo", auto_init=True)
    before = forge.get("/repos/alice/demo/branches/main").json["commit"]["id"]
    response = forge.post("/repos/alice/demo/contents", {"files": [
        {"operation": "create", "path": "ok.txt", "content": B64(b"fine")},
        {"operation": "update", "path": "missing.txt", "content": B64(b"x"), "sha": "1" * 40},
    ]})
    assert response.status_code == 404
    assert forge.get("/repos/alice/demo/branches/main").json["commit"]["id"] == before
    assert forge.get("/repos/alice/demo/contents/ok.txt").status_code == 404


def test_new_branch_starts_from_the_base_branch_and_must_not_exist(forge):
    forge.create_repo("demo", auto_init=True)
    body = forge.create_file("alice/demo", "f.txt", b"x\n", new_branch="topic")
    assert forge.get("/repos/alice/demo/branches/topic").json["commit"]["id"] == body["commit"]["sha"]
    response = forge.post("/repos/alice/demo/contents/g.txt", {"content": B64(b"y"), "new_branch": "topic"})
    assert response.status_code == 422 and "branch already exists" in response.json["message"]
    assert forge.post("/repos/alice/demo/contents/g.txt",
                      {"content": B64(b"y"), "branch": "nope"}).status_code == 404


def test_author_committer_and_dates_come_from_the_body(forge):
    forge.create_repo("demo", auto_init=True)
    body = forge.create_file("alice/demo", "f.txt", b"x", author={"name": "Ada", "email": "ada@example.org"},
                             dates={"author": "2020-02-03T04:05:06Z"})["commit"]
    assert body["author"] == {"name": "Ada", "email": "ada@example.org", "date": "2020-02-03T04:05:06Z"}
    assert body["committer"]["name"] == "Ada"  # only one given: both are that one (Gitea)
    bad = forge.post("/repos/alice/demo/contents/g.txt", {"content": B64(b"x"), "dates": {"author": "yesterday"}})
    assert bad.status_code == 422


@pytest.mark.parametrize("path", ["../escape.txt", "a/../../b", "/etc/passwd", ".git/config",
                                  "sub/.GIT/hooks/x", "a//b", "./a", "nul%00byte"])
def test_unsafe_paths_are_refused(forge, path):
    forge.create_repo("demo", auto_init=True)
    response = forge.post("/repos/alice/demo/contents", {"files": [
        {"operation": "create", "path": path.replace("%00", "\x00"), "content": B64(b"x")}]})
    # A NUL anywhere in a JSON body is refused by the core before any plugin reads it (400).
    assert response.status_code == (400 if "%00" in path else 422), (path, response.text)
    assert response.json["message"]


def test_unsafe_paths_in_the_url_are_refused(forge):
    forge.create_repo("demo", auto_init=True)
    response = forge.post("/repos/alice/demo/contents/.git/hooks/post-update", {"content": B64(b"x")})
    assert response.status_code == 422


def test_content_must_be_base64_and_within_the_size_limit(forge):
    forge.create_repo("demo", auto_init=True)
    assert forge.post("/repos/alice/demo/contents/f", {"content": "not base64!"}).status_code == 422
    forge.ctx.services["git_hosting"].settings["max_file_size"] = 4
    response = forge.post("/repos/alice/demo/contents/f", {"content": B64(b"12345")})
    assert response.status_code == 413 and "limit is 4 bytes" in response.json["message"]


def test_writing_files_needs_write_permission(forge):
    forge.create_repo("api", org="acme", auto_init=True)
    assert forge.create_file("acme/api", "by-bob.txt", b"x", as_user="bob")["commit"]["author"]["name"] == "bob"
    assert forge.post("/repos/acme/api/contents/c.txt", {"content": B64(b"x")}, as_user="carol").status_code == 403
    assert forge.post("/repos/acme/api/contents/c.txt", {"content": B64(b"x")}, as_user=None).status_code == 401
    forge.create_repo("secret", private=True, auto_init=True)
    assert forge.post("/repos/alice/secret/contents/c.txt", {"content": B64(b"x")}, as_user="carol").status_code == 404


def test_raw_returns_the_bytes_by_ref_or_by_legacy_path(forge):
    forge.create_repo("demo", auto_init=True)
    forge.create_file("alice/demo", "bin.dat", b"\x00\x01\x02")
    forge.create_file("alice/demo", "docs/x.txt", b"on topic\n", new_branch="topic")
    response = forge.get("/repos/alice/demo/raw/bin.dat")
    assert response.status_code == 200 and response.content == b"\x00\x01\x02"
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert forge.get("/repos/alice/demo/raw/docs/x.txt", params={"ref": "topic"}).text == "on topic\n"
    assert forge.get("/repos/alice/demo/raw/topic/docs/x.txt").text == "on topic\n"
    assert forge.get("/repos/alice/demo/raw/docs").status_code == 404
