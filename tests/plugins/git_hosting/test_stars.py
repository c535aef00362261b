"""Gitea's stars: ``/user/starred/{owner}/{repo}`` (204 / 404 "not starred"), the starred
lists, the stargazers, and ``stars_count`` (the repository's) and ``starred_repos_count``
(the user's) always equal to a fresh COUNT of the rows."""

from __future__ import annotations

import concurrent.futures

from plue_core.accounts.models import Account
from plue_git_hosting.models import Repository, Star


def logins(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [user["login"] for user in response.json]


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [repository["full_name"] for repository in response.json]


def stars_count(forge, full_name: str) -> int:
    return forge.get(f"/repos/{full_name}").json["stars_count"]


def fresh_count(full_name: str) -> int:
    owner, name = full_name.split("/")
    repository = Repository.get(Repository.lower_name == name.lower())
    return Star.select().where(Star.repository == repository.id).count()


def starred_repos_count(forge, user: str) -> int:
    return forge.get(f"/users/{user}", as_user="root").json["starred_repos_count"]


def fresh_starred(user: str) -> int:
    return Star.select().join(Account, on=Star.user == Account.id).where(
        Account.lower_name == user).count()


def test_a_users_starred_repos_count_follows_stars_unstars_privacy_and_deletions(forge):
    for name in ("one", "two", "three"):
        forge.create_repo(name)
        for user in ("bob", "carol"):
            assert forge.put(f"/user/starred/alice/{name}", as_user=user).status_code == 204
    assert forge.put("/user/starred/alice/one", as_user="bob").status_code == 204  # again: once
    assert forge.get("/user", as_user="bob").json["starred_repos_count"] == 3
    assert forge.delete("/user/starred/alice/one", as_user="bob").status_code == 204
    assert forge.delete("/user/starred/alice/one", as_user="bob").status_code == 204
    assert forge.patch("/repos/alice/two", {"private": True}).status_code == 200  # stars cleared
    assert forge.delete("/repos/alice/three").status_code == 204
    assert starred_repos_count(forge, "bob") == 0 == fresh_starred("bob")
    assert starred_repos_count(forge, "carol") == 1 == fresh_starred("carol")
    assert forge.put("/user/starred/alice/one", as_user="bob").status_code == 204
    assert forge.delete("/admin/users/alice?purge=true", as_user="root").status_code == 204
    assert starred_repos_count(forge, "bob") == 0 == fresh_starred("bob")
    assert starred_repos_count(forge, "carol") == 0 == fresh_starred("carol")


def test_starring_is_checked_counted_and_taken_back(forge):
    forge.create_repo("demo")
    assert forge.get("/user/starred/alice/demo", as_user="bob").status_code == 404
    assert forge.put("/user/starred/alice/demo", as_user="bob").status_code == 204
    assert forge.put("/user/starred/alice/demo", as_user="bob").status_code == 204  # again: once
    assert forge.put("/user/starred/alice/demo", as_user="carol").status_code == 204
    assert forge.get("/user/starred/alice/demo", as_user="bob").status_code == 204
    assert stars_count(forge, "alice/demo") == 2 == fresh_count("alice/demo")
    assert logins(forge.get("/repos/alice/demo/stargazers", as_user=None)) == ["bob", "carol"]
    assert forge.delete("/user/starred/alice/demo", as_user="bob").status_code == 204
    assert forge.delete("/user/starred/alice/demo", as_user="bob").status_code == 204  # not starred
    assert forge.get("/user/starred/alice/demo", as_user="bob").status_code == 404
    assert stars_count(forge, "alice/demo") == 1 == fresh_count("alice/demo")


def test_starring_needs_a_signed_in_caller_who_can_see_the_repository(forge):
    forge.create_repo("secret", private=True)
    assert forge.put("/user/starred/alice/secret", as_user=None).status_code == 401
    assert forge.put("/user/starred/alice/secret", as_user="carol").status_code == 404
    assert forge.get("/repos/alice/secret/stargazers", as_user="carol").status_code == 404
    assert forge.put("/user/starred/alice/nope", as_user="carol").status_code == 404
    assert stars_count(forge, "alice/secret") == 0


def test_an_archived_repository_can_be_starred(forge):
    forge.create_repo("old")
    assert forge.patch("/repos/alice/old", {"archived": True}).status_code == 200
    assert forge.put("/user/starred/alice/old", as_user="bob").status_code == 204
    assert stars_count(forge, "alice/old") == 1


def test_starred_lists_show_others_only_public_repositories(forge):
    forge.create_repo("zeta")
    forge.create_repo("secret", private=True)
    forge.create_repo("tools", org="acme")
    for name in ("alice/zeta", "alice/secret", "acme/tools"):
        assert forge.put(f"/user/starred/{name}").status_code == 204
    mine = forge.get("/user/starred")
    assert sorted(names(mine)) == ["acme/tools", "alice/secret", "alice/zeta"]
    assert mine.headers["X-Total-Count"] == "3"
    theirs = forge.get("/users/alice/starred", as_user="carol")
    assert sorted(names(theirs)) == ["acme/tools", "alice/zeta"]
    assert theirs.headers["X-Total-Count"] == "2"
    assert sorted(names(forge.get("/users/alice/starred", as_user=None))) == ["acme/tools",
                                                                           "alice/zeta"]
    assert forge.get("/users/nobody/starred").status_code == 404
    second = forge.get("/user/starred", params={"page": 2, "limit": 2})
    assert len(names(second)) == 1 and 'rel="prev"' in second.headers["Link"]


def test_a_repository_turned_private_loses_its_stars_and_watches_as_giteas(forge):
    forge.create_repo("shared")
    assert forge.put("/user/starred/alice/shared", as_user="carol").status_code == 204
    assert forge.put("/user/starred/alice/shared").status_code == 204
    assert forge.put("/repos/alice/shared/subscription", as_user="carol").status_code == 200
    edited = forge.patch("/repos/alice/shared", {"private": True})
    assert edited.status_code == 200
    assert edited.json["stars_count"] == 0 and edited.json["watchers_count"] == 0
    assert fresh_count("alice/shared") == 0
    assert names(forge.get("/user/starred", as_user="carol")) == []
    assert names(forge.get("/user/starred")) == []
    assert forge.get("/repos/alice/shared/subscription").status_code == 404
    assert forge.patch("/repos/alice/shared", {"private": True}).status_code == 200
    assert forge.put("/user/starred/alice/shared").status_code == 204  # private, still starrable
    assert forge.patch("/repos/alice/shared", {"description": "x"}).json["stars_count"] == 1


def test_a_user_list_hides_a_starred_repository_the_viewer_cannot_see(forge):
    forge.create_repo("secret", private=True)
    assert forge.put("/repos/alice/secret/collaborators/carol", {"permission": "read"}).status_code == 204
    assert forge.put("/user/starred/alice/secret", as_user="carol").status_code == 204
    assert names(forge.get("/user/starred", as_user="carol")) == ["alice/secret"]
    assert forge.delete("/repos/alice/secret/collaborators/carol").status_code == 204
    assert names(forge.get("/user/starred", as_user="carol")) == []


def test_stargazers_are_paginated(forge):
    forge.create_repo("demo")
    for user in ("carol", "bob", "alice"):
        assert forge.put("/user/starred/alice/demo", as_user=user).status_code == 204
    page = forge.get("/repos/alice/demo/stargazers", params={"page": 2, "limit": 2})
    assert logins(page) == ["alice"] and page.headers["X-Total-Count"] == "3"


def test_a_deleted_user_takes_their_stars_and_counts_with_them(forge):
    forge.create_repo("demo")
    forge.create_repo("tools", org="acme")
    for name in ("alice/demo", "acme/tools"):
        assert forge.put(f"/user/starred/{name}", as_user="carol").status_code == 204
        assert forge.put(f"/user/starred/{name}", as_user="bob").status_code == 204
    assert forge.delete("/admin/users/carol", as_user="root").status_code == 204
    for name in ("alice/demo", "acme/tools"):
        assert stars_count(forge, name) == 1 == fresh_count(name)
    assert logins(forge.get("/repos/alice/demo/stargazers")) == ["bob"]


def test_a_deleted_repository_takes_its_stars(forge):
    forge.create_repo("demo")
    assert forge.put("/user/starred/alice/demo", as_user="bob").status_code == 204
    assert forge.delete("/repos/alice/demo").status_code == 204
    assert Star.select().count() == 0
    assert names(forge.get("/user/starred", as_user="bob")) == []


def test_stars_at_once_count_once(forge):
    forge.create_repo("demo")
    users = ["bob", "bob", "carol", "carol"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(
            lambda user: forge.put("/user/starred/alice/demo", as_user=user).status_code, users))
    assert answers == [204] * 4
    assert stars_count(forge, "alice/demo") == 2 == fresh_count("alice/demo")
    assert starred_repos_count(forge, "bob") == 1 == fresh_starred("bob")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda user: forge.delete("/user/starred/alice/demo", as_user=user), users))
    assert stars_count(forge, "alice/demo") == 0 == fresh_count("alice/demo")
