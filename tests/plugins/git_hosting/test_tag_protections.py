"""Tag protections (Gitea's ``/tag_protections``): the rules' API, and their enforcement on every
way a tag changes: the tags API, releases and ``git push``."""

from __future__ import annotations

import json
import re

import pytest
import requests

from plue_core.db import connection
from plue_core.errors import Invalid
from plue_core.testing import DEFAULT_PASSWORD

from plue_git_hosting import ref_rules
from plue_git_hosting.tag_protections import name_regex

PROTECTIONS = "/repos/acme/demo/tag_protections"


@pytest.mark.parametrize(("pattern", "name", "matches"), [
    ("v*", "v1.0", True), ("v*", "release/v1", False), ("*", "a/b", True),
    ("v?", "v1", True), ("v?", "v10", False), ("[!a]x", "bx", True), ("[!a]x", "ax", False),
    ("{alpha,beta}-*", "beta-2", True), ("{alpha,beta}-*", "gamma-2", False),
    ("v1.0", "v1x0", False), (r"a\*", "a*", True),
    ("/^v[0-9]+$/", "v12", True), ("/^v[0-9]+$/", "v12a", False), ("/rc/", "v1-rc2", True),
])
def test_a_pattern_is_a_glob_over_the_name_or_a_regexp_searched_in_it(pattern, name, matches):
    assert (re.search(name_regex(pattern), name) is not None) is matches


@pytest.mark.parametrize("pattern", ["[v", "{a,b", "/(/", "x\\"])
def test_a_broken_pattern_is_invalid(pattern):
    with pytest.raises(Invalid):
        name_regex(pattern)


def test_repository_administrators_manage_tag_protections_as_gitea(forge):
    forge.create_repo("demo", org="acme", auto_init=True)
    created = forge.post(PROTECTIONS, {"name_pattern": " v* ", "whitelist_usernames": ["Bob"],
                                       "whitelist_teams": ["devs"]})
    assert created.status_code == 201, created.text
    body = created.json
    assert {key: body[key] for key in ("name_pattern", "whitelist_usernames", "whitelist_teams")} \
        == {"name_pattern": "v*", "whitelist_usernames": ["bob"], "whitelist_teams": ["devs"]}
    assert set(body) == {"id", "name_pattern", "whitelist_usernames", "whitelist_teams",
                         "created_at", "updated_at"}
    item = f"{PROTECTIONS}/{body['id']}"
    assert forge.get(PROTECTIONS).json == [body]
    assert forge.get(item).json == body

    refusals = [
        ({"whitelist_usernames": ["bob"]}, 400, "name_pattern are empty"),
        ({"name_pattern": "x"}, 400, "both whitelist_usernames and whitelist_teams are empty"),
        ({"name_pattern": "v*", "whitelist_usernames": ["carol"]}, 403, "Tag protection already exist"),
        ({"name_pattern": "y", "whitelist_usernames": ["nobody"]}, 422, "user does not exist"),
        ({"name_pattern": "y", "whitelist_teams": ["ghosts"]}, 422, "team does not exist"),
        ({"name_pattern": "/(/", "whitelist_usernames": ["bob"]}, 422, "invalid name_pattern"),
        ({"name_pattern": "v" * 256, "whitelist_usernames": ["bob"]}, 422, "name_pattern"),
    ]
    for options, status, message in refusals:
        answer = forge.post(PROTECTIONS, options)
        assert (answer.status_code, message in answer.json["message"]) == (status, True), options

    edited = forge.patch(item, {"whitelist_usernames": ["carol"]})
    assert edited.status_code == 200
    assert (edited.json["name_pattern"], edited.json["whitelist_usernames"],
            edited.json["whitelist_teams"]) == ("v*", ["carol"], ["devs"])
    assert forge.patch(item, {"whitelist_teams": ["ghosts"]}).status_code == 422

    # bob writes through his team but is no administrator; carol cannot see a private one.
    assert forge.get(PROTECTIONS, as_user="bob").status_code == 403
    assert forge.post(PROTECTIONS, {"name_pattern": "z", "whitelist_usernames": ["bob"]},
                      as_user="bob").status_code == 403
    assert forge.get(PROTECTIONS, as_user=None).status_code == 401
    forge.create_repo("secret", private=True)
    assert forge.get("/repos/alice/secret/tag_protections", as_user="carol").status_code == 404
    assert forge.get(f"/repos/alice/secret/tag_protections/{body['id']}").status_code == 404

    assert forge.delete(item).status_code == 204
    assert forge.get(item).status_code == 404
    assert forge.get(PROTECTIONS).json == []


def test_the_tags_api_and_releases_refuse_a_protected_tag_to_those_not_allowed(forge):
    forge.create_repo("demo", org="acme", auto_init=True)
    assert forge.post(PROTECTIONS, {"name_pattern": "v*", "whitelist_teams": ["devs"]}).status_code == 201
    assert forge.post(PROTECTIONS, {"name_pattern": "/^v1/", "whitelist_usernames": ["alice"]}
                      ).status_code == 201
    tags = "/repos/acme/demo/tags"

    refused = forge.post(tags, {"tag_name": "v2"})  # the owner too: no one is exempt
    assert (refused.status_code, refused.json["message"]) == (422, "user not allowed to create protected tag")
    assert forge.get(f"{tags}/v2").status_code == 404  # the ref went back
    assert forge.post(tags, {"tag_name": "v1.0"}).status_code == 201  # one matching rule allows
    assert forge.post(tags, {"tag_name": "v2"}, as_user="bob").status_code == 201  # a devs member
    assert forge.post(tags, {"tag_name": "other"}).status_code == 201  # no rule matches

    deleting = forge.delete(f"{tags}/v2")
    assert (deleting.status_code, deleting.json["message"]) == (422, "user not allowed to delete protected tag")
    assert forge.delete(f"{tags}/v2", as_user="bob").status_code == 204

    release = forge.post("/repos/acme/demo/releases", {"tag_name": "v3"})
    assert release.status_code == 422, release.text
    assert forge.post("/repos/acme/demo/releases", {"tag_name": "v3"}, as_user="bob").status_code == 201


def test_a_push_of_a_protected_tag_is_refused_naming_it(in_process_server):
    server = in_process_server()
    auth = ("alice", DEFAULT_PASSWORD)
    api = f"{server.url}/api/v1/repos/alice/demo"
    assert requests.post(f"{server.url}/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                         auth=auth).status_code == 201
    assert requests.post(f"{api}/tag_protections", json={"name_pattern": "v*",
                         "whitelist_usernames": ["carol"]}, auth=auth).status_code == 201
    work = server.tmp_path / "work"
    server.git("clone", "-q", server.remote("alice/demo"), str(work))
    server.git("tag", "v1", cwd=work)
    server.git("tag", "nightly", cwd=work)

    refused = server.git("push", "origin", "v1", cwd=work, check=False)
    assert refused.returncode != 0
    assert "Tag v1 is protected" in refused.stderr
    assert requests.get(f"{api}/tags/v1", auth=auth).status_code == 404
    server.git("push", "-q", "origin", "nightly", cwd=work)
    assert requests.get(f"{api}/tags/nightly", auth=auth).status_code == 200

    # SSH runs the same receive-pack command: the rule travels to its pre-receive hook too.
    hosting = server.ctx.services["git_hosting"]
    with connection(server.ctx.db):
        repository = hosting.find_repository("alice", "demo")
        alice = server.ctx.services["accounts"].find_user("alice")
        command = hosting.duplex_command(repository, "git-receive-pack", "", pusher=alice)
    [rule] = json.loads(command.env[ref_rules.ENV])
    assert (rule["rule_name"], rule["can_push"]) == ("v*", False)
