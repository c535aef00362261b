"""Repository transfer (Gitea's ``/repos/{owner}/{repo}/transfer[/accept|/reject]``): at once
to an org the doer may create repositories in (202), waiting for a user recipient (201) who
accepts (202) or rejects (200); the row, the old name's redirect and the directories on disk
move in one step that leaves no half state when it fails."""

from __future__ import annotations

import requests

from plue_core.testing import DEFAULT_PASSWORD


def _transfer(forge, repo: str, new_owner: str, as_user: str = "alice", **options):
    return forge.post(f"/repos/{repo}/transfer", {"new_owner": new_owner, **options},
                      as_user=as_user)


def test_a_transfer_to_an_org_the_owner_creates_in_moves_at_once_with_its_wiki_and_teams(forge):
    forge.create_repo("demo", auto_init=True, private=True)
    assert forge.post("/repos/alice/demo/wiki/new", {"title": "Home", "content_base64": "aGk="}) \
        .status_code == 201
    readers = forge.post("/orgs/acme/teams", {"name": "readers", "permission": "read"}).json
    assert forge.put(f"/teams/{readers['id']}/members/carol").status_code == 204
    hosting = forge.ctx.services["git_hosting"]
    old = hosting.storage.path("alice", "demo")

    moved = _transfer(forge, "alice/demo", "acme", team_ids=[readers["id"]])
    assert moved.status_code == 202, moved.text
    assert moved.json["full_name"] == "acme/demo" and moved.json["owner"]["login"] == "acme"
    assert "repo_transfer" not in moved.json
    new = hosting.storage.path("acme", "demo")
    assert new.is_dir() and not old.exists()
    assert hosting.storage.wiki_path_of(new).is_dir() and not hosting.storage.wiki_path_of(old).exists()
    # The old full name leads to the new (as a rename's); the team given reaches it.
    redirected = forge.get("/repos/alice/demo")
    assert redirected.status_code == 307 and redirected.headers["Location"].endswith("/repos/acme/demo")
    assert forge.get("/repos/acme/demo", as_user="carol").status_code == 200
    assert forge.get("/repos/acme/demo/wiki/page/Home").status_code == 200


def test_a_transfer_to_another_user_waits_until_they_accept(forge):
    forge.create_repo("demo", auto_init=True, private=True)
    offered = _transfer(forge, "alice/demo", "carol")
    assert offered.status_code == 201, offered.text
    assert offered.json["full_name"] == "alice/demo"
    pending = offered.json["repo_transfer"]
    assert (pending["doer"]["login"], pending["recipient"]["login"], pending["teams"]) == \
        ("alice", "carol", [])
    # The recipient may read what they are offered; nobody else may answer.
    assert forge.get("/repos/alice/demo", as_user="carol").json["repo_transfer"]["recipient"]["login"] == "carol"
    assert forge.post("/repos/alice/demo/transfer/accept", as_user="bob").status_code == 404
    assert forge.post("/repos/alice/demo/transfer/accept").status_code == 403
    assert _transfer(forge, "alice/demo", "bob").status_code == 409

    accepted = forge.post("/repos/alice/demo/transfer/accept", as_user="carol")
    assert accepted.status_code == 202, accepted.text
    assert accepted.json["full_name"] == "carol/demo" and "repo_transfer" not in accepted.json
    assert accepted.json["permissions"]["admin"] is True
    assert forge.get("/repos/carol/demo/collaborators/carol", as_user="carol").status_code == 404
    assert forge.post("/repos/carol/demo/transfer/accept", as_user="carol").status_code == 404


def test_a_rejected_transfer_leaves_the_repository_where_it_was(forge):
    forge.create_repo("demo")
    assert _transfer(forge, "alice/demo", "carol").status_code == 201
    rejected = forge.post("/repos/alice/demo/transfer/reject", as_user="carol")
    assert rejected.status_code == 200, rejected.text
    assert rejected.json["full_name"] == "alice/demo" and "repo_transfer" not in rejected.json
    assert forge.post("/repos/alice/demo/transfer/reject", as_user="carol").status_code == 404
    assert _transfer(forge, "alice/demo", "carol").status_code == 201  # offered again
    # A recipient deleted meanwhile takes the offer with them: it may be offered to another.
    assert forge.delete("/admin/users/carol", as_user="root").status_code == 204
    assert "repo_transfer" not in forge.get("/repos/alice/demo").json
    assert _transfer(forge, "alice/demo", "bob").status_code == 201


def test_who_may_transfer_and_to_whom(forge):
    forge.create_repo("demo")
    forge.create_repo("demo", org="acme")
    assert forge.put("/repos/alice/demo/collaborators/bob", {"permission": "admin"}).status_code == 204
    assert _transfer(forge, "alice/demo", "carol", as_user="bob").status_code == 403  # not the owner
    assert _transfer(forge, "alice/demo", "nobody").status_code == 404
    assert forge.post("/orgs", {"username": "hidden", "visibility": "private"},
                      as_user="carol").status_code == 201
    assert _transfer(forge, "alice/demo", "hidden").json["message"] == \
        "The new owner does not exist or cannot be found"
    assert _transfer(forge, "alice/demo", "carol", team_ids=[1]).status_code == 422
    assert _transfer(forge, "alice/demo", "acme", team_ids=[999]).status_code == 422
    # acme has a demo already: Gitea's ErrRepoAlreadyExist, and nothing moved.
    taken = _transfer(forge, "alice/demo", "acme")
    assert taken.status_code == 422 and "already exists" in taken.json["message"]
    assert forge.get("/repos/alice/demo").status_code == 200
    assert forge.post("/repos/alice/demo/transfer", {}).status_code == 422


def test_a_move_that_fails_midway_leaves_git_and_the_database_as_they_were(forge, monkeypatch):
    forge.create_repo("demo", auto_init=True)
    hosting = forge.ctx.services["git_hosting"]
    storage = hosting.storage
    old, new = storage.path("alice", "demo"), storage.path("acme", "demo")
    moved_first = []

    def fail(*args):  # the directories moved; a database write after them fails
        moved_first.append(new.is_dir() and not old.exists())
        raise RuntimeError("the database went away")

    monkeypatch.setattr("plue_git_hosting.redirects.forget", fail)
    assert _transfer(forge, "alice/demo", "acme").status_code == 500
    assert moved_first == [True]
    monkeypatch.undo()
    assert old.is_dir() and not new.exists()
    assert forge.get("/repos/alice/demo").json["full_name"] == "alice/demo"
    assert forge.get("/repos/acme/demo").status_code == 404

    # A directory in the way at the new owner: refused before anything changes.
    new.mkdir(parents=True)
    refused = _transfer(forge, "alice/demo", "acme")
    assert refused.status_code == 409 and "already exists on disk" in refused.json["message"]
    assert old.is_dir() and forge.get("/repos/alice/demo").json["full_name"] == "alice/demo"


def test_git_clones_the_transferred_repository_at_its_new_name(in_process_server):
    server = in_process_server()
    auth = ("alice", DEFAULT_PASSWORD)
    api = f"{server.url}/api/v1"
    assert requests.post(f"{api}/user/repos", json={"name": "demo", "auto_init": True},
                         auth=auth).status_code == 201
    assert requests.post(f"{api}/orgs", json={"username": "acme"}, auth=auth).status_code == 201
    moved = requests.post(f"{api}/repos/alice/demo/transfer", json={"new_owner": "acme"}, auth=auth)
    assert moved.status_code == 202, moved.text
    work = server.tmp_path / "work"
    server.git("clone", server.remote("acme/demo"), str(work))
    assert (work / "README.md").exists()
    # The old name still clones (smart HTTP follows the redirect).
    server.git("clone", server.remote("alice/demo"), str(server.tmp_path / "old"))
