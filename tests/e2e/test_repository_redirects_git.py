"""git at a renamed repository's old path reaches the repository, as in Gitea: over smart
HTTP the old URL answers 307 and git follows it (clone, fetch and push), over SSH the old
path is served as the repository itself (Gitea's ``serv``). A private repository's old path
is what a missing one is to whoever may not read it. Real git, real OpenSSH, ``plue serve``
with its SSH daemon."""

from __future__ import annotations

import urllib.parse

import pytest
import requests

from plue_core.testing import DEFAULT_PASSWORD, free_port, fresh_database_url, run_live_server

from tests.e2e.test_git_over_ssh import SshSite, wait_for_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redirects")
    ssh_port = free_port()
    with fresh_database_url(tmp) as url, run_live_server(
            tmp, url, daemons={"mode": "serve"}, ssh={"bind": f"127.0.0.1:{ssh_port}"}) as server:
        wait_for_port(ssh_port)
        yield SshSite(server, tmp, ssh_port)


def _http_url(site, repo: str, user: str | None = "alice") -> str:
    parts = urllib.parse.urlsplit(site.url)
    auth = f"{user}:{DEFAULT_PASSWORD}@" if user else ""
    return f"{parts.scheme}://{auth}{parts.netloc}/{repo}.git"


def _rename(site, repo: str, name: str) -> None:
    renamed = site.api("PATCH", f"/repos/{repo}", json={"name": name})
    assert renamed.status_code == 200, renamed.text


def test_clone_fetch_and_push_over_http_at_the_old_url(site):
    site.create_repo("http-before", auto_init=True)
    work = site.tmp / "http-before"
    site.git(None, "clone", "-q", _http_url(site, "alice/http-before"), str(work))
    _rename(site, "alice/http-before", "http-after")
    # The clone made before the rename keeps its remote: git follows the 307.
    sha = site.commit(work, "later.txt", "pushed at the old URL\n")
    pushed = site.git(None, "push", "origin", "HEAD:main", cwd=work)
    assert "redirecting to" in pushed.stderr
    assert site.branch_sha("alice/http-after") == sha
    fresh = site.tmp / "http-fresh"
    site.git(None, "clone", "-q", _http_url(site, "alice/http-before", None), str(fresh))
    assert (fresh / "later.txt").read_text() == "pushed at the old URL\n"
    site.git(None, "fetch", "-q", "origin", cwd=work)
    answer = requests.get(f"{site.url}/alice/http-before.git/info/refs",
                          params={"service": "git-upload-pack"}, allow_redirects=False, timeout=30)
    assert answer.status_code == 307
    assert answer.headers["Location"] == "/alice/http-after.git/info/refs?service=git-upload-pack"


def test_clone_and_push_over_ssh_at_the_old_path(site):
    site.create_repo("ssh-before", auto_init=True)
    work = site.tmp / "ssh-before"
    site.git(site.keys["alice"], "clone", "-q", site.ssh_url("alice/ssh-before"), str(work))
    _rename(site, "alice/ssh-before", "ssh-after")
    sha = site.commit(work, "later.txt", "pushed at the old path\n")
    site.git(site.keys["alice"], "push", "-q", "origin", "HEAD:main", cwd=work)
    assert site.branch_sha("alice/ssh-after") == sha
    fresh = site.tmp / "ssh-fresh"
    site.git(site.keys["bob"], "clone", "-q", site.ssh_url("alice/ssh-before"), str(fresh))
    assert (fresh / "later.txt").read_text() == "pushed at the old path\n"


def test_a_private_repositorys_old_path_is_missing_to_outsiders(site):
    site.create_repo("private-before", private=True, auto_init=True)
    _rename(site, "alice/private-before", "private-after")
    site.git(site.keys["alice"], "clone", "-q", site.ssh_url("alice/private-before"),
             str(site.tmp / "private-own"))
    site.git(None, "clone", "-q", _http_url(site, "alice/private-before"),
             str(site.tmp / "private-own-http"))
    refused = site.git(site.keys["bob"], "clone", site.ssh_url("alice/private-before"),
                       str(site.tmp / "private-ssh"), check=False)
    assert refused.returncode != 0
    assert "repository alice/private-before does not exist" in refused.stderr
    refused = site.git(None, "clone", _http_url(site, "alice/private-before", "bob"),
                       str(site.tmp / "private-http"), check=False)
    assert refused.returncode != 0 and "not found" in refused.stderr
    anonymous = requests.get(f"{site.url}/alice/private-before.git/info/refs",
                             params={"service": "git-upload-pack"}, allow_redirects=False,
                             timeout=30)
    assert anonymous.status_code == 401 and "Location" not in anonymous.headers


def test_a_new_repository_at_the_old_name_ends_the_redirect_for_git(site):
    site.create_repo("reused", auto_init=True)
    _rename(site, "alice/reused", "reused-moved")
    site.create_repo("reused")  # empty: nothing to clone
    cloned = site.git(None, "clone", _http_url(site, "alice/reused"), str(site.tmp / "reused"))
    assert "empty repository" in cloned.stderr
    cloned = site.git(site.keys["alice"], "clone", site.ssh_url("alice/reused"),
                      str(site.tmp / "reused-ssh"))
    assert "empty repository" in cloned.stderr
