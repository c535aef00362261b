"""Archives come from ``git archive`` itself and stream: the web's ``/archive/{ref}.zip``
and Gitea's ``GET /api/v1/repos/{owner}/{repo}/archive/{archive}`` answer git's bytes, the
response body is git's stdout read as the client takes it, and a client that leaves early
leaves no git process behind."""

from __future__ import annotations

import io
import os
import pathlib
import subprocess
import tarfile
import zipfile

import falcon.testing


def _git_archive(site, repo: str, fmt: str, ref: str, *paths: str) -> bytes:
    hosting = site.ctx.services["git_hosting"]
    path = hosting.path_of(hosting.find_repository("alice", repo))
    return subprocess.run(["git", "--git-dir", str(path), "archive", f"--format={fmt}",
                           f"--prefix={repo}/", ref, *paths],
                          capture_output=True, check=True).stdout


def test_the_apis_archive_is_git_archives_bytes_as_the_webs(site):
    for suffix, fmt, content_type in ((".zip", "zip", "application/zip"),
                                      (".tar.gz", "tar.gz", "application/gzip")):
        api = site.get(f"/repos/alice/code/archive/v1.0{suffix}")
        assert api.status_code == 200, api.text
        assert api.headers["content-type"] == content_type
        assert api.headers["content-disposition"] == f'attachment; filename="code-v1.0{suffix}"'
        assert api.content == _git_archive(site, "code", fmt, "v1.0")
        assert site.browser().get(f"/alice/code/archive/v1.0{suffix}").content == api.content
    branch = site.get("/repos/alice/code/archive/feature/x.zip")
    assert branch.status_code == 200
    assert 'filename="code-feature-x.zip"' in branch.headers["content-disposition"]


def test_the_apis_archive_of_some_paths(site):
    only = site.get("/repos/alice/code/archive/main.tar.gz?path=src&path=data.bin")
    assert only.status_code == 200, only.text
    with tarfile.open(fileobj=io.BytesIO(only.content), mode="r:gz") as archive:
        files = {m.name for m in archive.getmembers() if m.isfile()}
    assert files == {"code/src/main.py", "code/data.bin"}
    missing = site.get("/repos/alice/code/archive/main.zip?path=nowhere")
    assert missing.status_code == 404 and "nowhere" in missing.json["message"]
    # A path is a path: git's pathspec magic is not read from it.
    assert site.get("/repos/alice/code/archive/main.zip?path=:(glob)*").status_code == 404


def test_the_apis_archive_errors_are_giteas(site):
    unknown = site.get("/repos/alice/code/archive/main.rar")
    assert unknown.status_code == 400 and "main.rar" in unknown.json["message"]
    assert set(unknown.json) == {"message", "url"}
    nothing = site.get("/repos/alice/code/archive/nothing.zip")
    assert nothing.status_code == 404 and "nothing" in nothing.json["message"]
    assert site.get("/repos/alice/vault/archive/main.zip").status_code == 200
    assert site.get("/repos/alice/vault/archive/main.zip", as_user=None).status_code == 404
    assert site.get("/repos/alice/vault/archive/main.zip", as_user="oscar").status_code == 404
    # The web keeps answering an address that is no download as a missing page.
    assert site.browser("alice").get("/alice/code/archive/main.rar").status_code == 404


def _big_branch(site) -> None:
    """A branch ``big`` holding 8 MB that gzip cannot shrink: git archive must wait for its
    reader, the pipe being far smaller."""
    hosting = site.ctx.services["git_hosting"]
    git = ["git", "--git-dir", str(hosting.path_of(hosting.find_repository("alice", "code")))]
    blob = subprocess.run([*git, "hash-object", "-w", "--stdin"], input=os.urandom(8 << 20),
                          capture_output=True, check=True).stdout.decode().strip()
    tree = subprocess.run([*git, "mktree"], input=f"100644 blob {blob}\tbig.bin\n".encode(),
                          capture_output=True, check=True).stdout.decode().strip()
    commit = subprocess.run([*git, "-c", "user.name=A", "-c", "user.email=a@example.com",
                             "commit-tree", tree, "-m", "big"],
                            capture_output=True, check=True).stdout.decode().strip()
    subprocess.run([*git, "update-ref", "refs/heads/big", commit], check=True)


def _git_children() -> set[int]:
    """This process's children running ``git archive``."""
    found = set()
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"archive" in command:
            found.add(int(entry.name))
    return found


def test_the_body_streams_and_a_client_that_leaves_kills_git(site):
    _big_branch(site)
    for path in ("/alice/code/archive/big.tar.gz", "/api/v1/repos/alice/code/archive/big.zip"):
        answered = {}
        body = site.client.app(falcon.testing.create_environ(path=path),
                               lambda status, headers, *_: answered.update(status=status))
        assert answered["status"] == "200 OK"
        assert not isinstance(body, (bytes, list))  # an iterator, not the archive in memory
        first = next(iter(body))
        assert 0 < len(first) < 1 << 20
        running = _git_children()
        assert len(running) == 1  # git is writing, held back by the pipe
        body.close()  # the client went away after its first kilobytes
        assert _git_children() == set()
        for pid in running:  # killed and reaped, not a zombie
            assert not pathlib.Path(f"/proc/{pid}").exists()


def test_a_whole_big_archive_arrives(site):
    _big_branch(site)
    whole = site.get("/repos/alice/code/archive/big.zip")
    assert whole.status_code == 200
    with zipfile.ZipFile(io.BytesIO(whole.content)) as archive:
        assert archive.getinfo("code/big.bin").file_size == 8 << 20
    assert _git_children() == set()
