"""``GET /repos/{owner}/{repo}/assignees``: the users who may be assigned, i.e. who can write
the repository (Gitea's ``GetRepoAssignees``)."""

from __future__ import annotations


def logins(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [user["login"] for user in response.json]


def test_a_users_repository_lists_its_owner_and_writing_collaborators_by_name(forge):
    forge.create_repo("demo")
    assert forge.put("/repos/alice/demo/collaborators/carol", {"permission": "write"}).status_code == 204
    assert forge.put("/repos/alice/demo/collaborators/bob", {"permission": "read"}).status_code == 204
    response = forge.get("/repos/alice/demo/assignees", as_user="bob")
    assert logins(response) == ["alice", "carol"]
    assert response.headers["X-Total-Count"] == "2"
    assert set(response.json[0]) >= {"id", "login", "full_name", "avatar_url", "email"}
    assert logins(forge.get("/repos/alice/demo/assignees", as_user=None)) == ["alice", "carol"]


def test_an_organizations_repository_lists_members_of_its_writing_teams(forge):
    forge.create_repo("internal", org="acme", private=True)
    readers = forge.post("/orgs/acme/teams", {"name": "readers", "permission": "read",
                                              "units": ["repo.code"]})
    assert readers.status_code == 201, readers.text
    assert forge.put(f"/teams/{readers.json['id']}/members/carol").status_code == 204
    assert logins(forge.get("/repos/acme/internal/assignees", as_user="bob")) == ["alice", "bob"]


def test_assignees_are_paginated_like_other_lists(forge):
    forge.create_repo("demo")
    assert forge.put("/repos/alice/demo/collaborators/carol", {"permission": "admin"}).status_code == 204
    second = forge.get("/repos/alice/demo/assignees", params={"page": 2, "limit": 1})
    assert logins(second) == ["carol"] and second.headers["X-Total-Count"] == "2"


def test_a_private_repositorys_assignees_are_404_to_outsiders(forge):
    forge.create_repo("secret", private=True)
    response = forge.get("/repos/alice/secret/assignees", as_user="carol")
    assert response.status_code == 404
    assert forge.get("/repos/alice/nothing/assignees").status_code == 404
