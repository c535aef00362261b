"""Teams and repositories (Gitea's ``team_repo``): ``/repos/{owner}/{repo}/teams[/{team}]``
and ``/teams/{id}/repos[/{org}/{repo}]``. A team that does not include all repositories
reaches only those added to it: adding one grants its members access at once, removing it
takes it away."""

from __future__ import annotations


def _team(forge, name: str, permission: str = "read", **options) -> int:
    team = forge.post("/orgs/acme/teams", {"name": name, "permission": permission, **options})
    assert team.status_code == 201, team.text
    return team.json["id"]


def test_adding_a_repository_to_a_team_grants_its_members_access_and_removing_takes_it_away(forge):
    forge.create_repo("vault", org="acme", private=True)
    readers = _team(forge, "readers")
    assert forge.put(f"/teams/{readers}/members/carol").status_code == 204
    # A member of a team that lists nothing reaches no private repository of the org.
    assert forge.get("/repos/acme/vault", as_user="carol").status_code == 404
    assert "vault" not in [r["name"] for r in forge.get("/user/repos", as_user="carol").json]
    assert forge.get("/repos/acme/vault/teams/readers").status_code == 404

    assert forge.put(f"/teams/{readers}/repos/acme/vault").status_code == 204
    got = forge.get("/repos/acme/vault", as_user="carol")
    assert got.status_code == 200, got.text
    assert got.json["permissions"] == {"admin": False, "push": False, "pull": True}
    assert [r["name"] for r in forge.get("/user/repos", as_user="carol").json] == ["vault"]
    assert forge.get(f"/teams/{readers}/repos", as_user="carol").json[0]["full_name"] == "acme/vault"
    assert forge.get(f"/teams/{readers}/repos/acme/vault", as_user="carol").status_code == 200
    # Reading is not writing: a read team's member gets 403 on a write.
    assert forge.patch("/repos/acme/vault", {"description": "x"}, as_user="carol").status_code == 403

    assert forge.delete(f"/teams/{readers}/repos/acme/vault").status_code == 204
    assert forge.get("/repos/acme/vault", as_user="carol").status_code == 404
    assert forge.get(f"/teams/{readers}/repos", as_user="carol").json == []
    assert forge.get(f"/teams/{readers}/repos/acme/vault", as_user="carol").status_code == 404


def test_a_repositorys_teams_by_name(forge):
    forge.create_repo("app", org="acme", private=True)
    writers = _team(forge, "writers", "write")
    assert forge.put(f"/teams/{writers}/members/carol").status_code == 204
    names = lambda: [t["name"] for t in forge.get("/repos/acme/app/teams").json]  # noqa: E731
    # The Owners team and devs (fixture) include all repositories.
    assert names() == ["Owners", "devs"]
    assert forge.get("/repos/acme/app/assignees").json and \
        "carol" not in [u["login"] for u in forge.get("/repos/acme/app/assignees").json]

    assert forge.put("/repos/acme/app/teams/Writers").status_code == 204
    assert names() == ["Owners", "devs", "writers"]
    checked = forge.get("/repos/acme/app/teams/writers")
    assert checked.status_code == 200, checked.text
    assert checked.json["name"] == "writers" and checked.json["organization"]["name"] == "acme"
    assert "carol" in [u["login"] for u in forge.get("/repos/acme/app/assignees").json]
    again = forge.put("/repos/acme/app/teams/writers")
    assert again.status_code == 422 and "already added" in again.json["message"]
    assert forge.put("/repos/acme/app/teams/nosuch").status_code == 404

    assert forge.delete("/repos/acme/app/teams/writers").status_code == 204
    assert names() == ["Owners", "devs"]
    assert forge.delete("/repos/acme/app/teams/writers").status_code == 422
    assert forge.get("/repos/acme/app/teams/writers").status_code == 404


def test_who_may_change_which_teams_reach_a_repository(forge):
    forge.create_repo("app", org="acme")
    forge.create_repo("mine")
    outsiders = _team(forge, "outsiders")
    # A user's repository has no teams: 405.
    assert forge.get("/repos/alice/mine/teams").status_code == 405
    assert forge.put("/repos/alice/mine/teams/outsiders").status_code == 405
    # bob writes acme's repositories (devs) but administers none: 403.
    assert forge.put("/repos/acme/app/teams/outsiders", as_user="bob").status_code == 403
    assert forge.put(f"/teams/{outsiders}/repos/acme/app", as_user="bob").status_code == 403
    # A repository admin who is no org owner may not unless the org allows it.
    admins = _team(forge, "admins", "admin")
    assert forge.put(f"/teams/{admins}/members/carol").status_code == 204
    assert forge.put(f"/teams/{admins}/repos/acme/app").status_code == 204
    refused = forge.put("/repos/acme/app/teams/outsiders", as_user="carol")
    assert refused.status_code == 403, refused.text
    assert forge.patch("/orgs/acme", {"repo_admin_change_team_access": True}).status_code == 200
    assert forge.put("/repos/acme/app/teams/outsiders", as_user="carol").status_code == 204
    # Anonymous callers: a token is required.
    assert forge.get("/repos/acme/app/teams", as_user=None).status_code == 401
    # The team's repository must be its org's.
    assert forge.put(f"/teams/{outsiders}/repos/acme/nosuch").status_code == 404


def test_a_team_that_includes_all_repositories_lists_every_one_and_keeps_them(forge):
    forge.create_repo("one", org="acme", private=True)
    forge.create_repo("two", org="acme")
    everyone = _team(forge, "everyone", includes_all_repositories=True)
    assert forge.put(f"/teams/{everyone}/members/carol").status_code == 204
    listed = forge.get(f"/teams/{everyone}/repos", as_user="carol")
    assert [r["name"] for r in listed.json] == ["one", "two"]
    assert listed.headers["X-Total-Count"] == "2"
    # Removing a repository from such a team leaves it reaching it, as in Gitea.
    assert forge.delete(f"/teams/{everyone}/repos/acme/one").status_code == 204
    assert forge.get("/repos/acme/one", as_user="carol").status_code == 200
