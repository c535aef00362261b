"""Gitea's watching: ``/repos/{owner}/{repo}/subscription`` (WatchInfo / 404), the watched
lists, the watchers, the creator's automatic watch (AUTO_WATCH_NEW_REPOS), and
``watchers_count`` always equal to a fresh COUNT of the rows."""

from __future__ import annotations

import concurrent.futures

from plue_git_hosting.models import Repository, Watch


def logins(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [user["login"] for user in response.json]


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [repository["full_name"] for repository in response.json]


def watchers_count(forge, full_name: str) -> int:
    return forge.get(f"/repos/{full_name}").json["watchers_count"]


def fresh_count(full_name: str) -> int:
    owner, name = full_name.split("/")
    repository = Repository.get(Repository.lower_name == name.lower())
    return Watch.select().where(Watch.repository == repository.id).count()


def test_the_creator_watches_a_new_repository_and_a_fork(forge):
    created = forge.create_repo("demo")
    assert created["watchers_count"] == 1
    assert logins(forge.get("/repos/alice/demo/subscribers")) == ["alice"]
    fork = forge.post("/repos/alice/demo/forks", {}, as_user="carol")
    assert fork.status_code == 202, fork.text
    assert fork.json["watchers_count"] == 1
    assert logins(forge.get("/repos/carol/demo/subscribers")) == ["carol"]
    assert watchers_count(forge, "alice/demo") == 1  # forking is not watching the source
    org_repo = forge.create_repo("tools", org="acme", as_user="bob")
    assert org_repo["watchers_count"] == 1
    assert logins(forge.get("/repos/acme/tools/subscribers")) == ["bob"]


def test_no_automatic_watch_when_the_setting_is_off(build_forge):
    forge = build_forge(git_hosting={"auto_watch_new_repos": False})
    assert forge.create_repo("demo")["watchers_count"] == 0
    assert forge.get("/repos/alice/demo/subscription").status_code == 404


def test_watching_answers_giteas_watch_info_and_is_counted(forge):
    created = forge.create_repo("demo")
    assert forge.get("/repos/alice/demo/subscription", as_user="carol").status_code == 404
    response = forge.put("/repos/alice/demo/subscription", as_user="carol")
    assert response.status_code == 200, response.text
    api = created["url"]
    assert response.json == {"subscribed": True, "ignored": False, "reason": None,
                             "created_at": created["created_at"],
                             "url": f"{api}/subscription", "repository_url": api}
    assert forge.put("/repos/alice/demo/subscription", as_user="carol").status_code == 200
    got = forge.get("/repos/alice/demo/subscription", as_user="carol")
    assert got.status_code == 200 and got.json == response.json
    assert watchers_count(forge, "alice/demo") == 2 == fresh_count("alice/demo")
    assert forge.delete("/repos/alice/demo/subscription", as_user="carol").status_code == 204
    assert forge.delete("/repos/alice/demo/subscription", as_user="carol").status_code == 204
    assert forge.get("/repos/alice/demo/subscription", as_user="carol").status_code == 404
    assert watchers_count(forge, "alice/demo") == 1 == fresh_count("alice/demo")


def test_watching_needs_a_signed_in_caller_who_can_see_the_repository(forge):
    forge.create_repo("demo")
    forge.create_repo("secret", private=True)
    assert forge.put("/repos/alice/demo/subscription", as_user=None).status_code == 401
    assert forge.put("/repos/alice/secret/subscription", as_user=None).status_code == 404
    assert forge.put("/repos/alice/secret/subscription", as_user="carol").status_code == 404
    assert forge.get("/repos/alice/secret/subscribers", as_user="carol").status_code == 404
    assert watchers_count(forge, "alice/secret") == 1


def test_watched_lists_show_others_only_public_repositories(forge):
    forge.create_repo("zeta")
    forge.create_repo("secret", private=True)
    forge.create_repo("tools", org="acme")
    mine = forge.get("/user/subscriptions")
    assert sorted(names(mine)) == ["acme/tools", "alice/secret", "alice/zeta"]
    assert mine.headers["X-Total-Count"] == "3"
    theirs = forge.get("/users/alice/subscriptions", as_user="carol")
    assert sorted(names(theirs)) == ["acme/tools", "alice/zeta"]
    assert theirs.headers["X-Total-Count"] == "2"
    assert forge.get("/users/nobody/subscriptions").status_code == 404


def test_watchers_are_paginated(forge):
    forge.create_repo("demo")
    for user in ("carol", "bob"):
        assert forge.put("/repos/alice/demo/subscription", as_user=user).status_code == 200
    page = forge.get("/repos/alice/demo/subscribers", params={"page": 2, "limit": 2})
    assert logins(page) == ["bob"] and page.headers["X-Total-Count"] == "3"


def test_a_deleted_user_takes_their_watches_and_counts_with_them(forge):
    forge.create_repo("demo")
    assert forge.put("/repos/alice/demo/subscription", as_user="carol").status_code == 200
    forge.create_repo("own", as_user="carol")
    assert forge.delete("/admin/users/carol", params={"purge": "true"},
                        as_user="root").status_code == 204
    assert watchers_count(forge, "alice/demo") == 1 == fresh_count("alice/demo")
    assert Watch.select().count() == 1  # alice's; carol's own repository went with its watch


def test_watches_at_once_count_once(forge):
    forge.create_repo("demo")
    users = ["bob", "bob", "carol", "carol"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(
            lambda user: forge.put("/repos/alice/demo/subscription", as_user=user).status_code,
            users))
    assert answers == [200] * 4
    assert watchers_count(forge, "alice/demo") == 3 == fresh_count("alice/demo")
