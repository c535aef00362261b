"""Who may do what: owners, site administrators, organization teams, collaborators, token
scopes; forks and their visibility."""

from __future__ import annotations

from plue_core.testing import token_auth


def make_token(forge, user: str, scopes: list[str]) -> str:
    response = forge.post(f"/users/{user}/tokens", {"name": f"t-{'-'.join(scopes) or 'none'}", "scopes": scopes},
                          as_user=user)
    assert response.status_code == 201, response.text
    return response.json["sha1"]


def test_collaborators_are_granted_added_listed_checked_and_removed(forge):
    forge.create_repo("secret", private=True, auto_init=True)
    assert forge.get("/repos/alice/secret", as_user="carol").status_code == 404
    assert forge.put("/repos/alice/secret/collaborators/carol", {"permission": "read"}).status_code == 204
    assert forge.get("/repos/alice/secret", as_user="carol").json["permissions"] == {
        "admin": False, "push": False, "pull": True}
    assert forge.post("/repos/alice/secret/branches", {"new_branch_name": "x"}, as_user="carol").status_code == 403
    assert forge.put("/repos/alice/secret/collaborators/carol", {"permission": "write"}).status_code == 204
    assert forge.post("/repos/alice/secret/branches", {"new_branch_name": "x"}, as_user="carol").status_code == 201
    assert [u["login"] for u in forge.get("/repos/alice/secret/collaborators").json] == ["carol"]
    assert forge.get("/repos/alice/secret/collaborators/carol").status_code == 204
    assert forge.get("/repos/alice/secret/collaborators/bob").status_code == 404
    permission = forge.get("/repos/alice/secret/collaborators/carol/permission").json
    assert permission["permission"] == "write" and permission["user"]["login"] == "carol"
    assert forge.delete("/repos/alice/secret/collaborators/carol").status_code == 204
    assert forge.get("/repos/alice/secret", as_user="carol").status_code == 404


def test_collaborator_management_needs_admin_and_real_users(forge):
    forge.create_repo("demo")
    assert forge.put("/repos/alice/demo/collaborators/bob", {"permission": "write"}, as_user="carol").status_code == 403
    assert forge.put("/repos/alice/demo/collaborators/ghost", {"permission": "write"}).status_code == 422
    assert forge.put("/repos/alice/demo/collaborators/bob", {"permission": "owner"}).status_code == 422
    assert forge.put("/repos/alice/demo/collaborators/alice", {"permission": "read"}).status_code == 422
    assert forge.get("/repos/alice/demo/collaborators/bob/permission", as_user="carol").status_code == 403
    assert forge.get("/repos/alice/demo/collaborators/alice/permission").json["permission"] == "owner"


def test_site_administrators_may_do_anything(forge):
    forge.create_repo("secret", private=True)
    repo = forge.get("/repos/alice/secret", as_user="root").json
    assert repo["permissions"]["admin"] is True
    assert forge.patch("/repos/alice/secret", {"description": "by root"}, as_user="root").status_code == 200


def test_team_members_read_and_write_organization_repositories_but_outsiders_do_not(forge):
    forge.create_repo("internal", org="acme", private=True)
    assert forge.get("/repos/acme/internal", as_user="bob").json["permissions"] == {
        "admin": False, "push": True, "pull": True}
    assert forge.get("/repos/acme/internal", as_user="carol").status_code == 404
    assert forge.patch("/repos/acme/internal", {"description": "x"}, as_user="bob").status_code == 403
    assert [r["name"] for r in forge.get("/orgs/acme/repos", as_user="bob").json] == ["internal"]
    assert forge.get("/orgs/acme/repos", as_user="carol").json == []


def test_a_token_without_repository_scope_sees_only_what_anonymous_sees(forge):
    forge.create_repo("secret", private=True)
    forge.create_repo("open")
    token = make_token(forge, "alice", ["read:user"])
    response = forge.client.simulate_get("/api/v1/repos/alice/secret", headers=token_auth(token))
    assert response.status_code == 404
    assert forge.client.simulate_get("/api/v1/repos/alice/open", headers=token_auth(token)).status_code == 200


def test_writing_needs_a_write_repository_scope(forge):
    forge.create_repo("demo", auto_init=True)
    reader = make_token(forge, "alice", ["read:repository"])
    writer = make_token(forge, "alice", ["write:repository"])
    body = {"new_branch_name": "x"}
    refused = forge.client.simulate_post("/api/v1/repos/alice/demo/branches", json=body, headers=token_auth(reader))
    assert refused.status_code == 403 and "write:repository" in refused.json["message"]
    accepted = forge.client.simulate_post("/api/v1/repos/alice/demo/branches", json=body, headers=token_auth(writer))
    assert accepted.status_code == 201


def test_forking_copies_branches_and_tags_and_points_at_the_parent(forge):
    source = forge.create_repo("demo", auto_init=True)
    forge.post("/repos/alice/demo/branches", {"new_branch_name": "dev"})
    forge.post("/repos/alice/demo/tags", {"tag_name": "v1"})
    response = forge.post("/repos/alice/demo/forks", {}, as_user="carol")
    assert response.status_code == 202
    fork = response.json
    assert fork["full_name"] == "carol/demo" and fork["fork"] is True and fork["empty"] is False
    assert fork["parent"]["full_name"] == "alice/demo" and fork["parent"]["id"] == source["id"]
    assert sorted(b["name"] for b in forge.get("/repos/carol/demo/branches", as_user="carol").json) == ["dev", "main"]
    assert [t["name"] for t in forge.get("/repos/carol/demo/tags", as_user="carol").json] == ["v1"]
    assert forge.get("/repos/alice/demo").json["forks_count"] == 1
    assert [r["full_name"] for r in forge.get("/repos/alice/demo/forks").json] == ["carol/demo"]
    # The fork is independent: a commit there does not reach the parent.
    forge.create_file("carol/demo", "mine.txt", b"x", as_user="carol")
    assert forge.get("/repos/alice/demo/contents/mine.txt").status_code == 404
    forge.delete("/repos/carol/demo", as_user="carol")
    assert forge.get("/repos/alice/demo").json["forks_count"] == 0


def test_forking_into_an_organization_with_a_new_name(forge):
    forge.create_repo("demo", auto_init=True)
    response = forge.post("/repos/alice/demo/forks", {"organization": "acme", "name": "demo-fork"}, as_user="bob")
    assert response.status_code == 202 and response.json["full_name"] == "acme/demo-fork"
    assert forge.post("/repos/alice/demo/forks", {"organization": "acme"}, as_user="carol").status_code == 403


def test_fork_errors(forge):
    forge.create_repo("demo")
    forge.create_repo("secret", private=True)
    assert forge.post("/repos/alice/demo/forks", {}).status_code == 409  # onto itself
    assert forge.post("/repos/alice/secret/forks", {}, as_user="carol").status_code == 404
    assert forge.post("/repos/alice/demo/forks", {}, as_user=None).status_code == 401
    assert forge.post("/repos/alice/demo/forks", {}, as_user="carol").status_code == 202
    assert forge.post("/repos/alice/demo/forks", {}, as_user="carol").status_code == 409


def test_a_fork_of_a_private_repository_stays_private(forge):
    forge.create_repo("secret", private=True, auto_init=True)
    forge.put("/repos/alice/secret/collaborators/carol", {"permission": "read"})
    fork = forge.post("/repos/alice/secret/forks", {}, as_user="carol").json
    assert fork["private"] is True
    assert forge.get("/repos/carol/secret", as_user="bob").status_code == 404
