"""The wiki beside each repository (``<name>.wiki.git``): cloned and pushed with the real git
over smart HTTP under the repository's access rules, renamed and deleted with it."""

from __future__ import annotations

import base64
import os
import time

import requests

from plue_core.db import connection
from plue_core.testing import DEFAULT_PASSWORD

from plue_git_hosting import maintenance


def _api(server, method: str, path: str, body=None, user: str = "alice"):
    return requests.request(method, f"{server.url}/api/v1{path}", json=body,
                            auth=(user, DEFAULT_PASSWORD) if user else None)


def _page(server, title: str, text: str, repo: str = "alice/demo"):
    response = _api(server, "POST", f"/repos/{repo}/wiki/new",
                    {"title": title, "content_base64": base64.b64encode(text.encode()).decode()})
    assert response.status_code == 201, response.text


def test_the_wiki_is_cloned_and_pushed_over_http_and_the_api_sees_the_push(in_process_server):
    server = in_process_server()
    assert _api(server, "POST", "/user/repos", {"name": "demo"}).status_code == 201
    _page(server, "Home", "hello\n")
    work = server.tmp_path / "wiki"
    server.git("clone", "-q", server.remote("alice/demo.wiki"), str(work))
    assert (work / "Home.md").read_text() == "hello\n"
    (work / "Guide.md").write_text("pushed\n")
    server.git("add", "Guide.md", cwd=work)
    server.git("commit", "-q", "-m", "guide", cwd=work)
    server.git("push", "-q", "origin", "master", cwd=work)
    page = _api(server, "GET", "/repos/alice/demo/wiki/page/Guide").json()
    assert base64.b64decode(page["content_base64"]) == b"pushed\n"
    assert page["last_commit"]["message"] == "guide\n"
    # Others: carol may clone the public wiki but not push; anonymous pushes are asked to sign in.
    server.git("clone", "-q", server.remote("alice/demo.wiki", user="carol"),
               str(server.tmp_path / "carol"))
    refused = server.git("push", "-q", server.remote("alice/demo.wiki", user="carol"), "master",
                         cwd=work, check=False)
    assert refused.returncode != 0 and "403" in refused.stderr


def test_a_private_repository_s_wiki_is_hidden_and_an_absent_one_is_404(in_process_server):
    server = in_process_server()
    assert _api(server, "POST", "/user/repos", {"name": "secret", "private": True}).status_code == 201
    assert _api(server, "POST", "/user/repos", {"name": "empty"}).status_code == 201
    _page(server, "Home", "x", repo="alice/secret")
    hidden = requests.get(f"{server.url}/alice/secret.wiki.git/info/refs",
                          params={"service": "git-upload-pack"}, auth=("carol", DEFAULT_PASSWORD))
    assert hidden.status_code == 404
    absent = requests.get(f"{server.url}/alice/empty.wiki.git/info/refs",
                          params={"service": "git-upload-pack"}, auth=("alice", DEFAULT_PASSWORD))
    assert absent.status_code == 404


def test_the_wiki_follows_a_rename_and_goes_with_a_deletion(in_process_server):
    server = in_process_server()
    hosting = server.ctx.services["git_hosting"]
    assert _api(server, "POST", "/user/repos", {"name": "demo"}).status_code == 201
    _page(server, "Home", "kept\n")
    old = hosting.storage.wiki_path_of(hosting.storage.path("alice", "demo"))
    assert old.is_dir()
    assert _api(server, "PATCH", "/repos/alice/demo", {"name": "renamed"}).status_code == 200
    new = hosting.storage.wiki_path_of(hosting.storage.path("alice", "renamed"))
    assert not old.exists() and new.is_dir()
    page = _api(server, "GET", "/repos/alice/renamed/wiki/page/Home").json()
    assert base64.b64decode(page["content_base64"]) == b"kept\n"
    assert _api(server, "DELETE", "/repos/alice/renamed").status_code == 204
    assert not new.exists()
    assert not any(hosting.storage.trash_dir.iterdir())


def test_tidy_trash_puts_a_wiki_back_beside_its_surviving_repository(in_process_server, monkeypatch):
    server = in_process_server()
    hosting = server.ctx.services["git_hosting"]
    assert _api(server, "POST", "/user/repos", {"name": "demo"}).status_code == 201
    _page(server, "Home", "x")
    repo_path = hosting.storage.path("alice", "demo")
    wiki = hosting.storage.wiki_path_of(repo_path)
    # As a deletion whose transaction rolled back after trashing both directories.
    with connection(server.ctx.db):
        repository = hosting.find_repository("alice", "demo")
    hosting.storage.move_to_trash(repo_path, repository.id)
    hosting.storage.move_to_trash(wiki, repository.id)
    monkeypatch.setattr(maintenance, "SETTLE_SECONDS", -1)
    maintenance.tidy_trash(server.ctx)
    assert repo_path.is_dir() and wiki.is_dir()


def test_a_dead_push_s_leftovers_in_a_wiki_wait_for_the_wiki_s_lock(in_process_server):
    server = in_process_server()
    hosting = server.ctx.services["git_hosting"]
    assert _api(server, "POST", "/user/repos", {"name": "demo"}).status_code == 201
    _page(server, "Home", "x")
    with connection(server.ctx.db):
        repository = hosting.find_repository("alice", "demo")
    quarantine = hosting.storage.wiki_path_of(hosting.path_of(repository)) / "objects" / \
        "tmp_objdir-incoming-old"
    quarantine.mkdir()
    os.utime(quarantine, (time.time() - 7200, time.time() - 7200))
    with hosting.storage.wiki_write_lock(repository.id):  # a push to the wiki under way
        assert maintenance.remove_incoming_leftovers(server.ctx) == 0 and quarantine.exists()
    assert maintenance.remove_incoming_leftovers(server.ctx) == 1 and not quarantine.exists()
