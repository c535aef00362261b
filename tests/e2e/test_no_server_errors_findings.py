"""Issue 11 item 3, one test per finding, against the real server (gunicorn): inputs that were
a 500 (or wrote a corrupt commit) are now a 4xx in Gitea's shape naming what was wrong.
The systematic sweep over every operation is tests/e2e/test_schemathesis_openapi.py."""

from __future__ import annotations

import base64
import os
import subprocess
import urllib.parse

import pytest
import requests

from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

pytestmark = pytest.mark.e2e

BIG = "99999999999999999999999"
SURROGATE = '"\\ud800"'  # a JSON escape that decodes to no character
GIT_ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull}


class Site:
    def __init__(self, server):
        self.server, self.url = server, server.url
        server.plue("admin", "user", "create", "--username", "alice", "--password",
                    DEFAULT_PASSWORD, "--email", "alice@example.org")

    def api(self, method, path, user="alice", **kwargs):
        auth = (user, DEFAULT_PASSWORD) if user else None
        return requests.request(method, f"{self.url}/api/v1{path}", auth=auth, timeout=60, **kwargs)

    def raw(self, method, path, body: str):
        return self.api(method, path, data=body.encode(), headers={"Content-Type": "application/json"})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("no500")
    with fresh_database_url(tmp_path) as url, run_live_server(tmp_path, url) as server:
        site = Site(server)
        assert site.api("POST", "/user/repos", json={"name": "demo", "auto_init": True}).status_code == 201
        assert site.api("POST", "/repos/alice/demo/issues", json={"title": "one"}).status_code == 201
        assert site.api("POST", "/repos/alice/demo/branches",
                        json={"new_branch_name": "topic"}).status_code == 201
        site.api("POST", "/repos/alice/demo/contents/topic.txt",
                 json={"content": base64.b64encode(b"t\n").decode(), "branch": "topic"})
        assert site.api("POST", "/repos/alice/demo/pulls",
                        json={"head": "topic", "base": "main", "title": "p"}).status_code == 201
        yield site


def assert_gitea_error(response, status, *words):
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["message"], str) and isinstance(body["url"], str)
    for word in words:
        assert word.lower() in body["message"].lower(), body["message"]


@pytest.mark.parametrize("method, path, body, field", [
    ("POST", "/repos/alice/demo/issues", '{"title": %s}', "title"),
    ("PATCH", "/repos/alice/demo/issues/1", '{"body": %s}', "body"),
    ("POST", "/repos/alice/demo/issues/1/comments", '{"body": %s}', "body"),
    ("POST", "/repos/alice/demo/labels", '{"name": %s, "color": "#00aabb"}', "name"),
    ("POST", "/repos/alice/demo/milestones", '{"title": %s}', "title"),
    ("POST", "/repos/alice/demo/pulls", '{"head": "topic", "base": "main", "title": %s}', "title"),
    ("POST", "/repos/alice/demo/branches", '{"new_branch_name": %s}', "new_branch_name"),
    ("POST", "/repos/alice/demo/tags", '{"tag_name": %s}', "tag_name"),
    ("POST", "/repos/alice/demo/statuses/main", '{"state": "success", "context": %s}', "context"),
    ("POST", "/repos/alice/demo/branch_protections", '{"rule_name": %s}', "rule_name"),
    ("PATCH", "/repos/alice/demo", '{"description": %s}', "description"),
    ("POST", "/repos/alice/demo/issues", '{"title": "t", "labels": [], "x": {"deep": [%s]}}', "x.deep[0]"),
])
def test_a_lone_surrogate_in_a_json_string_is_a_400_naming_the_field(site, method, path, body, field):
    response = site.raw(method, path, body % SURROGATE)
    assert_gitea_error(response, 400, f"{field}:", "surrogate")


@pytest.mark.parametrize("path", [
    f"/repos/alice/demo/issues/{BIG}", f"/repos/alice/demo/issues/{BIG}/comments",
    f"/repos/alice/demo/issues/comments/{BIG}", f"/repos/alice/demo/labels/{BIG}",
    f"/repos/alice/demo/milestones/{BIG}", f"/repos/alice/demo/pulls/{BIG}",
    f"/repos/alice/demo/pulls/1/reviews/{BIG}", f"/repos/alice/demo/actions/runs/{BIG}",
    f"/repositories/{BIG}", f"/teams/{BIG}",
])
def test_an_id_past_int64_in_a_path_is_a_404(site, path):
    assert_gitea_error(site.api("GET", path), 404, BIG)


def test_a_uid_past_int64_in_the_user_search_is_a_422(site):
    response = site.api("GET", "/users/search", params={"uid": "9223372036854775808"})
    assert_gitea_error(response, 422, "uid", "64-bit")
    assert site.api("GET", "/users/search", params={"uid": "9223372036854775807"}).status_code == 200


@pytest.mark.parametrize("name, rule", [(".hidden", "begin with '.'"), ("a..b", "'..'"),
                                        ("x.lock", "'.lock'"), ("-x", "'-'"), ("a/.b", "begin with '.'")])
@pytest.mark.parametrize("kind, field", [("branches", "new_branch_name"), ("tags", "tag_name")])
def test_a_ref_name_git_refuses_is_a_422_naming_the_rule(site, name, rule, kind, field):
    response = site.api("POST", f"/repos/alice/demo/{kind}", json={field: name})
    assert_gitea_error(response, 422, "not a valid git reference name", rule)


@pytest.mark.parametrize("filename", ["名前.txt", "emoji😀.txt", 'x";evil=1.txt', "plain.txt"])
def test_raw_files_of_any_name_are_served_with_an_rfc_6266_disposition(site, filename):
    quoted = urllib.parse.quote(filename, safe="")
    created = site.api("POST", f"/repos/alice/demo/contents/{quoted}",
                       json={"content": base64.b64encode(b"hello\n").decode()})
    assert created.status_code == 201, created.text
    response = site.api("GET", f"/repos/alice/demo/raw/{quoted}")
    assert response.status_code == 200 and response.content == b"hello\n"
    disposition = response.headers["Content-Disposition"]
    assert disposition.isascii() and disposition.startswith("inline; filename=")
    parameters = disposition.split("; ")  # a quote in the name opens no parameter of its own
    assert [p.split("=")[0] for p in parameters[1:]] in (["filename"], ["filename", "filename*"])
    if filename.isascii() and '"' not in filename:
        assert disposition == f'inline; filename="{filename}"'
    else:
        assert parameters[2] == "filename*=UTF-8''" + quoted


@pytest.mark.parametrize("who, identity, field", [
    ("author", {"name": "a\nb", "email": "a@example.org"}, "author.name"),
    ("committer", {"name": "c", "email": "<x>\nfoo"}, "committer.email"),
    ("author", {"name": "Eve <eve@evil>", "email": "a@example.org"}, "author.name"),
])
def test_an_identity_git_cannot_write_is_a_422_and_no_commit(site, tmp_path, who, identity, field):
    before = site.api("GET", "/repos/alice/demo/branches/main").json()["commit"]["id"]
    response = site.api("POST", "/repos/alice/demo/contents/ident.txt",
                        json={"content": base64.b64encode(b"x\n").decode(), who: identity})
    assert_gitea_error(response, 422, field)
    assert site.api("GET", "/repos/alice/demo/branches/main").json()["commit"]["id"] == before
    clone = tmp_path / "clone"
    remote = site.url.replace("http://", f"http://alice:{DEFAULT_PASSWORD}@") + "/alice/demo.git"
    result = subprocess.run(["git", "-c", "transfer.fsckObjects=true", "clone", "-q", remote,
                             str(clone)], capture_output=True, text=True, env=GIT_ENV, timeout=120)
    assert result.returncode == 0, result.stderr
    fsck = subprocess.run(["git", "fsck", "--strict"], cwd=clone, capture_output=True, text=True, env=GIT_ENV)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
