"""Pull requests end to end: the real git client pushes to the real server (gunicorn, ``plue
serve``), pull requests are opened, reviewed and merged in every style through the API, and
git fetches the base to find the result. ``git fsck`` after each."""

from __future__ import annotations

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
    def __init__(self, server, tmp: pathlib.Path):
        self.server, self.url, self.tmp = server, server.url, tmp
        for name in ("alice", "bob"):
            server.plue("admin", "user", "create", "--username", name, "--password",
                        DEFAULT_PASSWORD, "--email", f"{name}@example.org")

    def api(self, method: str, path: str, user: str | None = "alice", **kwargs):
        auth = (user, DEFAULT_PASSWORD) if user else None
        return requests.request(method, f"{self.url}/api/v1{path}", auth=auth, timeout=60, **kwargs)

    def git(self, *args: str, cwd=None, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                                env=GIT_ENV, timeout=300)
        if check:
            assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stderr}"
        return result

    def remote(self, repo: str, user: str = "alice") -> str:
        return f"http://{user}:{DEFAULT_PASSWORD}@{self.url.removeprefix('http://')}/{repo}.git"

    def clone(self, repo: str, name: str, user: str = "alice") -> pathlib.Path:
        work = self.tmp / name
        self.git("clone", "-q", self.remote(repo, user), str(work))
        return work

    def commit(self, work: pathlib.Path, name: str, content: str, message: str = "") -> str:
        (work / name).write_text(content)
        self.git("add", name, cwd=work)
        self.git("commit", "-q", "-m", message or f"change {name}", cwd=work)
        return self.git("rev-parse", "HEAD", cwd=work).stdout.strip()

    def head_of(self, work: pathlib.Path, ref: str) -> str:
        return self.git("rev-parse", ref, cwd=work).stdout.strip()

    def fsck(self, work: pathlib.Path, repo: str) -> None:
        self.git("fsck", "--strict", "--no-progress", cwd=work)
        owner, name = repo.split("/")
        bare = self.server.data_dir / "repos" / owner / f"{name}.git"
        result = self.git("--git-dir", str(bare), "fsck", "--strict", "--no-progress")
        assert "dangling" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pulls-e2e")
    with fresh_database_url(tmp) as url, run_live_server(tmp, url) as server:
        yield Site(server, tmp)


def make_repo(site, name: str) -> pathlib.Path:
    response = site.api("POST", "/user/repos", json={"name": name, "auto_init": True})
    assert response.status_code == 201, response.text
    assert site.api("PUT", f"/repos/alice/{name}/collaborators/bob",
                    json={"permission": "write"}).status_code == 204
    return site.clone(f"alice/{name}", name)


def push_branch(site, work: pathlib.Path, branch: str, files: dict[str, str]) -> str:
    site.git("checkout", "-q", "-b", branch, "origin/main", cwd=work)
    for path, content in files.items():
        site.commit(work, path, content, f"{branch}: {path}")
    site.git("push", "-q", "origin", branch, cwd=work)
    return site.head_of(work, "HEAD")


@pytest.mark.parametrize("style", ["merge", "rebase", "rebase-merge", "squash", "fast-forward-only"])
def test_push_review_merge_and_fetch_the_result(site, style):
    name = f"flow-{style}"
    work = make_repo(site, name)
    head = push_branch(site, work, "topic", {"one.txt": "one\n", "two.txt": "two\n"})
    if style != "fast-forward-only":  # the base moves on meanwhile
        site.git("checkout", "-q", "main", cwd=work)
        site.commit(work, "base.txt", "base moved\n")
        site.git("push", "-q", "origin", "main", cwd=work)
    pull = site.api("POST", f"/repos/alice/{name}/pulls", user="bob",
                    json={"head": "topic", "base": "main", "title": f"Topic via {style}"})
    assert pull.status_code == 201, pull.text
    number = pull.json()["number"]
    assert pull.json()["mergeable"] is True and pull.json()["head"]["sha"] == head

    review = site.api("POST", f"/repos/alice/{name}/pulls/{number}/reviews",
                      json={"event": "APPROVED", "body": "ship it"})
    assert review.status_code == 200 and review.json()["official"] is True
    merged = site.api("POST", f"/repos/alice/{name}/pulls/{number}/merge", json={"Do": style})
    assert merged.status_code == 200, merged.text
    assert site.api("GET", f"/repos/alice/{name}/pulls/{number}/merge").status_code == 204

    site.git("fetch", "-q", "origin", cwd=work)
    tip = site.head_of(work, "origin/main")
    info = site.api("GET", f"/repos/alice/{name}/pulls/{number}").json()
    assert info["merged"] is True and info["merge_commit_sha"] == tip
    files = site.git("ls-tree", "--name-only", tip, cwd=work).stdout.split()
    assert {"one.txt", "two.txt"} <= set(files)
    log = site.git("log", "--format=%s|%an", "-n", "4", tip, cwd=work).stdout.splitlines()
    if style == "merge":
        assert site.git("rev-parse", f"{tip}^2", cwd=work).stdout.strip() == head
        assert log[0].startswith(f"Merge pull request 'Topic via merge' (#{number}) from topic into main")
    elif style == "squash":
        assert log[0] == f"Topic via squash (#{number})|bob"
        assert len(site.git("rev-list", "--parents", "-n1", tip, cwd=work).stdout.split()) == 2
    elif style == "rebase":
        assert [line.split("|")[0] for line in log[:2]] == ["topic: two.txt", "topic: one.txt"]
        assert tip != head and "base.txt" in files
    elif style == "rebase-merge":
        assert log[0].startswith("Merge pull request") and "topic: two.txt|Dev" in log[1:]
    else:
        assert tip == head
    site.fsck(work, f"alice/{name}")


def test_a_conflicting_push_makes_the_pull_request_unmergeable(site):
    work = make_repo(site, "conflicts")
    push_branch(site, work, "topic", {"README.md": "topic's readme\n"})
    pull = site.api("POST", "/repos/alice/conflicts/pulls",
                    json={"head": "topic", "base": "main", "title": "Readme"}).json()
    assert pull["mergeable"] is True
    site.git("checkout", "-q", "main", cwd=work)
    site.commit(work, "README.md", "main's readme\n")
    site.git("push", "-q", "origin", "main", cwd=work)
    after = site.api("GET", f"/repos/alice/conflicts/pulls/{pull['number']}").json()
    assert after["mergeable"] is False
    refused = site.api("POST", f"/repos/alice/conflicts/pulls/{pull['number']}/merge", json={"Do": "merge"})
    assert refused.status_code == 405 and "README.md" in refused.json()["message"]
    site.fsck(work, "alice/conflicts")


def test_a_pull_request_from_a_fork(site):
    make_repo(site, "upstream")
    fork = site.api("POST", "/repos/alice/upstream/forks", user="bob", json={})
    assert fork.status_code == 202, fork.text
    work = site.clone("bob/upstream", "bob-upstream", user="bob")
    head = site.commit(work, "from-fork.txt", "hello from bob\n")
    site.git("push", "-q", "origin", "HEAD:feature", cwd=work)
    pull = site.api("POST", "/repos/alice/upstream/pulls", user="bob",
                    json={"head": "bob:feature", "base": "main", "title": "From my fork"})
    assert pull.status_code == 201, pull.text
    body = pull.json()
    assert body["head"]["repo"]["full_name"] == "bob/upstream" and body["head"]["sha"] == head
    assert body["mergeable"] is True
    # The fork moves on: the base repository gets the new head.
    newer = site.commit(work, "more.txt", "more\n")
    site.git("push", "-q", "origin", "HEAD:feature", cwd=work)
    assert site.api("GET", f"/repos/alice/upstream/pulls/{body['number']}").json()["head"]["sha"] == newer
    merged = site.api("POST", f"/repos/alice/upstream/pulls/{body['number']}/merge", json={"Do": "merge"})
    assert merged.status_code == 200, merged.text
    upstream = site.clone("alice/upstream", "upstream-after")
    assert (upstream / "from-fork.txt").read_text() == "hello from bob\n"
    assert site.git("rev-parse", "HEAD^2", cwd=upstream).stdout.strip() == newer
    site.git("fetch", "-q", "origin", f"refs/pull/{body['number']}/head", cwd=upstream)
    assert site.head_of(upstream, "FETCH_HEAD") == newer
    site.fsck(upstream, "alice/upstream")


def test_protected_branches_refuse_force_pushes_deletions_and_direct_pushes(site):
    work = make_repo(site, "guarded")
    rule = site.api("POST", "/repos/alice/guarded/branch_protections",
                    json={"rule_name": "main", "enable_push": True, "enable_push_whitelist": True,
                          "push_whitelist_usernames": ["alice"], "required_approvals": 1})
    assert rule.status_code == 201, rule.text
    base = site.head_of(work, "origin/main")
    # alice may push normally.
    site.git("checkout", "-q", "main", cwd=work)
    first = site.commit(work, "a.txt", "a\n")
    site.git("push", "-q", "origin", "main", cwd=work)
    # A force push is refused by the pre-receive hook, with Gitea's message.
    site.git("reset", "-q", "--hard", base, cwd=work)
    site.commit(work, "b.txt", "rewritten\n")
    forced = site.git("push", "-f", "origin", "main", cwd=work, check=False)
    assert forced.returncode != 0 and "protected from force push" in forced.stderr
    deleted = site.git("push", "origin", ":main", cwd=work, check=False)
    assert deleted.returncode != 0 and "protected from deletion" in deleted.stderr
    # bob is not on the allowlist.
    bob = site.clone("alice/guarded", "guarded-bob", user="bob")
    site.commit(bob, "c.txt", "c\n")
    refused = site.git("push", "origin", "main", cwd=bob, check=False)
    assert refused.returncode != 0 and "Not allowed to push to protected branch main" in refused.stderr
    # Other branches are not protected; nothing refused moved anything.
    site.git("push", "-q", "origin", "HEAD:bob-branch", cwd=bob)
    assert site.api("GET", "/repos/alice/guarded/branches/main").json()["commit"]["id"] == first
    site.fsck(bob, "alice/guarded")
