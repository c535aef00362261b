"""The real git client against the real server (gunicorn, ``plue serve``): clone, fetch, push,
protocol v0 and v2, private repositories, force pushes, forks. ``git fsck`` after each."""

from __future__ import annotations

import base64
import gzip
import os
import pathlib
import subprocess

import pytest
import requests

from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

pytestmark = pytest.mark.e2e

GIT_ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "Dev",
           "GIT_AUTHOR_EMAIL": "dev@example.org", "GIT_COMMITTER_NAME": "Dev",
           "GIT_COMMITTER_EMAIL": "dev@example.org", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_ASKPASS": "", "SSH_ASKPASS": ""}


class Site:
    """One running server shared by the module's tests (each test uses its own repositories)."""

    def __init__(self, server, tmp: pathlib.Path):
        self.server, self.url, self.tmp = server, server.url, tmp
        for name in ("alice", "bob", "carol"):
            server.plue("admin", "user", "create", "--username", name, "--password",
                        DEFAULT_PASSWORD, "--email", f"{name}@example.org")

    def api(self, method: str, path: str, user: str | None = "alice", **kwargs):
        auth = (user, DEFAULT_PASSWORD) if user else None
        return requests.request(method, f"{self.url}/api/v1{path}", auth=auth, timeout=60, **kwargs)

    def create_repo(self, name: str, user: str = "alice", **options) -> dict:
        response = self.api("POST", "/user/repos", user, json={"name": name, **options})
        assert response.status_code == 201, response.text
        return response.json()

    def remote(self, repo: str, user: str | None = None, password: str = DEFAULT_PASSWORD,
               suffix: str = ".git") -> str:
        host = self.url.removeprefix("http://")
        credentials = f"{user}:{password}@" if user else ""
        return f"http://{credentials}{host}/{repo}{suffix}"

    def git(self, *args: str, cwd=None, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                                env=GIT_ENV, timeout=300)
        if check:
            assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stderr}"
        return result

    def workdir(self, name: str) -> pathlib.Path:
        path = self.tmp / name
        assert not path.exists()
        return path

    def commit(self, work: pathlib.Path, name: str, content: str | bytes, message: str = "") -> str:
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        self.git("add", name, cwd=work)
        self.git("commit", "-q", "-m", message or f"change {name}", cwd=work)
        return self.git("rev-parse", "HEAD", cwd=work).stdout.strip()

    def fsck(self, *, clone: pathlib.Path | None = None, repo: str | None = None) -> None:
        """``git fsck --strict`` of a clone and of the server's bare repository."""
        if clone is not None:
            self.git("fsck", "--strict", "--no-progress", cwd=clone)
        if repo is not None:
            owner, name = repo.split("/")
            bare = self.server.data_dir / "repos" / owner.lower() / f"{name.lower()}.git"
            self.git("--git-dir", str(bare), "fsck", "--strict", "--no-progress")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("git-e2e")
    with fresh_database_url(tmp) as url, run_live_server(tmp, url) as server:
        yield Site(server, tmp)


def test_cloning_an_empty_repository_then_pushing_shows_the_branch_and_commit_in_the_api(site):
    site.create_repo("first")
    work = site.workdir("first")
    clone = site.git("clone", site.remote("alice/first", "alice"), str(work))
    assert "empty repository" in clone.stderr
    sha = site.commit(work, "hello.txt", "hello\n", "Say hello")
    site.git("push", "origin", "HEAD:main", cwd=work)

    repo = site.api("GET", "/repos/alice/first").json()
    assert repo["empty"] is False and repo["default_branch"] == "main"
    branch = site.api("GET", "/repos/alice/first/branches/main").json()
    assert branch["commit"]["id"] == sha and branch["commit"]["message"] == "Say hello\n"
    commit = site.api("GET", f"/repos/alice/first/git/commits/{sha}").json()
    assert commit["commit"]["author"]["email"] == "dev@example.org"
    assert commit["files"] == [{"filename": "hello.txt", "status": "added"}]
    site.fsck(clone=work, repo="alice/first")


def test_a_file_created_through_the_api_is_pulled_by_git(site):
    site.create_repo("pulled", auto_init=True)
    work = site.workdir("pulled")
    site.git("clone", site.remote("alice/pulled"), str(work))
    response = site.api("POST", "/repos/alice/pulled/contents/docs/api.md",
                        json={"content": base64.b64encode(b"made by the API\n").decode()})
    assert response.status_code == 201
    site.git("pull", "-q", "--ff-only", cwd=work)
    assert (work / "docs" / "api.md").read_text() == "made by the API\n"
    assert site.git("rev-parse", "HEAD", cwd=work).stdout.strip() == response.json()["commit"]["sha"]
    site.fsck(clone=work, repo="alice/pulled")


def test_force_pushes_are_accepted_by_default_as_gitea_does(site):
    site.create_repo("forced", auto_init=True)
    work = site.workdir("forced")
    site.git("clone", site.remote("alice/forced", "alice"), str(work))
    site.commit(work, "a.txt", "a\n")
    site.git("push", "origin", "main", cwd=work)
    site.git("reset", "-q", "--hard", "HEAD~1", cwd=work)
    rewritten = site.commit(work, "b.txt", "b\n")
    site.git("push", "--force", "origin", "main", cwd=work)
    assert site.api("GET", "/repos/alice/forced/branches/main").json()["commit"]["id"] == rewritten
    site.fsck(clone=work, repo="alice/forced")


def test_force_pushes_are_rejected_when_the_server_disallows_them(tmp_path, plue_database_url):
    with run_live_server(tmp_path, plue_database_url, git_hosting={"allow_force_push": False}) as server:
        strict = Site(server, tmp_path)
        strict.create_repo("strict", auto_init=True)
        work = strict.workdir("strict-clone")
        strict.git("clone", strict.remote("alice/strict", "alice"), str(work))
        before = strict.git("rev-parse", "HEAD", cwd=work).stdout.strip()
        strict.git("commit", "-q", "--amend", "-m", "rewritten history", cwd=work)
        result = strict.git("push", "--force", "origin", "main", cwd=work, check=False)
        assert result.returncode != 0 and "non-fast-forward" in result.stderr
        assert strict.api("GET", "/repos/alice/strict/branches/main").json()["commit"]["id"] == before
        fast_forward = strict.commit(work, "more.txt", "more\n")
        strict.git("reset", "-q", "--hard", before, cwd=work)
        strict.git("cherry-pick", fast_forward, cwd=work, check=False)  # a fast-forward still works
        strict.git("push", "origin", "HEAD:main", cwd=work)
        strict.fsck(repo="alice/strict")


def test_a_private_repository_asks_for_credentials_and_admits_only_readers(site):
    site.create_repo("vault", private=True, auto_init=True)
    site.api("PUT", "/repos/alice/vault/collaborators/bob", json={"permission": "read"})

    info = requests.get(f"{site.url}/alice/vault.git/info/refs?service=git-upload-pack", timeout=30)
    assert info.status_code == 401 and info.headers["WWW-Authenticate"].startswith("Basic")
    anonymous = site.git("clone", site.remote("alice/vault"), str(site.tmp / "vault-anon"), check=False)
    assert anonymous.returncode != 0 and "could not read Username" in anonymous.stderr

    wrong = site.git("clone", site.remote("alice/vault", "alice", "wrong-password"),
                     str(site.tmp / "vault-wrong"), check=False)
    assert wrong.returncode != 0 and "Authentication failed" in wrong.stderr

    outsider = site.git("clone", site.remote("alice/vault", "carol"), str(site.tmp / "vault-carol"), check=False)
    assert outsider.returncode != 0 and "not found" in outsider.stderr.lower()

    reader = site.tmp / "vault-bob"
    site.git("clone", site.remote("alice/vault", "bob"), str(reader))
    site.commit(reader, "bob.txt", "bob was here\n")
    denied = site.git("push", "origin", "main", cwd=reader, check=False)
    assert denied.returncode != 0 and "403" in denied.stderr

    owner = site.tmp / "vault-alice"
    site.git("clone", site.remote("alice/vault", "alice"), str(owner))
    site.fsck(clone=owner, repo="alice/vault")


def test_an_access_token_from_a_credential_helper_clones_and_pushes(site):
    site.create_repo("tokened", private=True, auto_init=True)
    token = site.api("POST", "/users/alice/tokens", json={"name": "git", "scopes": ["write:repository"]}).json()["sha1"]
    helper = f"!f() {{ echo username=alice; echo password={token}; }}; f"
    work = site.tmp / "tokened"
    site.git("-c", f"credential.helper={helper}", "clone", site.remote("alice/tokened"), str(work))
    site.git("config", "credential.helper", helper, cwd=work)
    sha = site.commit(work, "t.txt", "token push\n")
    site.git("push", "origin", "main", cwd=work)
    assert site.api("GET", "/repos/alice/tokened/branches/main").json()["commit"]["id"] == sha

    reader_token = site.api("POST", "/users/alice/tokens",
                            json={"name": "ro", "scopes": ["read:repository"]}).json()["sha1"]
    site.git("config", "credential.helper", f"!f() {{ echo username=alice; echo password={reader_token}; }}; f", cwd=work)
    site.commit(work, "u.txt", "read-only token\n")
    refused = site.git("push", "origin", "main", cwd=work, check=False)
    assert refused.returncode != 0 and "403" in refused.stderr
    site.fsck(clone=work, repo="alice/tokened")


def test_pushing_to_a_public_repository_needs_write_permission(site):
    site.create_repo("public", auto_init=True)
    work = site.tmp / "public-carol"
    site.git("clone", site.remote("alice/public"), str(work))  # anonymous read is fine
    site.commit(work, "c.txt", "c\n")
    anonymous = site.git("push", site.remote("alice/public"), "main", cwd=work, check=False)
    assert anonymous.returncode != 0 and "could not read Username" in anonymous.stderr
    as_carol = site.git("push", site.remote("alice/public", "carol"), "main", cwd=work, check=False)
    assert as_carol.returncode != 0 and "403" in as_carol.stderr
    site.api("PUT", "/repos/alice/public/collaborators/carol", json={"permission": "write"})
    site.git("push", site.remote("alice/public", "carol"), "main", cwd=work)
    site.fsck(clone=work, repo="alice/public")


@pytest.mark.parametrize("version", ["0", "2"])
def test_protocol_versions_zero_and_two_both_clone_and_fetch(site, version):
    name = f"proto{version}"
    site.create_repo(name, auto_init=True)
    work = site.tmp / f"{name}-clone"
    env_trace = {**GIT_ENV, "GIT_TRACE_PACKET": "1"}
    result = subprocess.run(["git", "-c", f"protocol.version={version}", "clone",
                             site.remote(f"alice/{name}", suffix=""), str(work)],
                            capture_output=True, text=True, env=env_trace, timeout=120)
    assert result.returncode == 0, result.stderr
    spoke_v2 = "< version 2" in result.stderr
    assert spoke_v2 is (version == "2")
    site.api("POST", f"/repos/alice/{name}/contents/new.txt", json={"content": base64.b64encode(b"n").decode()})
    site.git("-c", f"protocol.version={version}", "fetch", "-q", cwd=work)
    assert site.git("log", "-1", "--format=%s", "origin/main", cwd=work).stdout.strip() == "Add new.txt"
    site.fsck(clone=work, repo=f"alice/{name}")


def test_a_large_push_streams_as_a_chunked_request_and_clones_back(site):
    site.create_repo("large")
    work = site.workdir("large")
    site.git("clone", site.remote("alice/large", "alice"), str(work))
    payload = os.urandom(3 * 1024 * 1024)  # incompressible: the pack is > git's 1 MiB post buffer
    site.commit(work, "blob.bin", payload)
    pushed = subprocess.run(["git", "push", "origin", "HEAD:main"], cwd=work, capture_output=True,
                            text=True, env={**GIT_ENV, "GIT_CURL_VERBOSE": "1"}, timeout=300)
    assert pushed.returncode == 0, pushed.stderr
    assert "Transfer-Encoding: chunked" in pushed.stderr
    again = site.tmp / "large-again"
    site.git("clone", site.remote("alice/large"), str(again))
    assert (again / "blob.bin").read_bytes() == payload
    site.fsck(clone=again, repo="alice/large")


def test_a_gzip_encoded_upload_pack_request_is_decoded(site):
    repo = site.create_repo("gzipped", auto_init=True)
    head = site.api("GET", "/repos/alice/gzipped/branches/main").json()["commit"]["id"]

    def pkt(line: str) -> bytes:
        return f"{len(line) + 4:04x}{line}".encode()

    body = pkt(f"want {head} no-progress\n") + b"0000" + pkt("done\n")
    response = requests.post(f"{site.url}/alice/gzipped.git/git-upload-pack", data=gzip.compress(body),
                             headers={"Content-Type": "application/x-git-upload-pack-request",
                                      "Content-Encoding": "gzip"}, timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/x-git-upload-pack-result"
    assert response.content.startswith(b"0008NAK\n") and b"PACK" in response.content
    assert repo["clone_url"].endswith("/alice/gzipped.git")


def test_smart_http_errors_are_plain_text_git_can_show(site):
    site.create_repo("plain")
    dumb = requests.get(f"{site.url}/alice/plain.git/info/refs", timeout=30)
    assert dumb.status_code == 403 and dumb.headers["Content-Type"].startswith("text/plain")
    wrong_type = requests.post(f"{site.url}/alice/plain.git/git-upload-pack", data=b"0000",
                               headers={"Content-Type": "text/plain"}, timeout=30)
    assert wrong_type.status_code == 400 and "application/x-git-upload-pack-request" in wrong_type.text
    missing = requests.get(f"{site.url}/alice/nothing.git/info/refs?service=git-upload-pack",
                           auth=("alice", DEFAULT_PASSWORD), timeout=30)
    assert missing.status_code == 404


def test_forking_then_cloning_the_fork(site):
    site.create_repo("upstream", auto_init=True)
    site.api("POST", "/repos/alice/upstream/contents/src/main.py",
             json={"content": base64.b64encode(b"print('hi')\n").decode()})
    fork = site.api("POST", "/repos/alice/upstream/forks", "carol", json={})
    assert fork.status_code == 202 and fork.json()["parent"]["full_name"] == "alice/upstream"
    work = site.tmp / "fork-clone"
    site.git("clone", site.remote("carol/upstream", "carol"), str(work))
    assert (work / "src" / "main.py").read_text() == "print('hi')\n"
    site.commit(work, "fork.txt", "only in the fork\n")
    site.git("push", "origin", "main", cwd=work)
    assert site.api("GET", "/repos/alice/upstream/contents/fork.txt").status_code == 404
    assert site.api("GET", "/repos/carol/upstream/contents/fork.txt", "carol").status_code == 200
    site.fsck(clone=work, repo="carol/upstream")
    site.fsck(repo="alice/upstream")
