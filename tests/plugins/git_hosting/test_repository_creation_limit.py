"""Gitea's repository creation limit: an account's ``max_repo_creation`` (set by a site
administrator, ``PATCH /admin/users/{username}``), or the site's ``[git_hosting]
max_creation_limit`` while it is -1. Reaching it refuses a new repository and a fork with 409;
a site administrator, creating or owning, has no limit."""

from __future__ import annotations

import concurrent.futures

from plue_core.accounts.models import Account
from plue_git_hosting.models import Repository


def limit(forge, user: str, count: int) -> None:
    response = forge.patch(f"/admin/users/{user}", {"max_repo_creation": count}, as_user="root")
    assert response.status_code == 200, response.text


def test_an_account_at_its_limit_cannot_create_or_fork_until_it_is_raised(forge):
    forge.create_repo("source", as_user="alice")
    limit(forge, "carol", 1)
    forge.create_repo("first", as_user="carol")
    refused = forge.post("/user/repos", {"name": "second"}, as_user="carol")
    assert refused.status_code == 409
    assert refused.json["message"] == "carol has already reached its limit of 1 repositories"
    fork = forge.post("/repos/alice/source/forks", {}, as_user="carol")
    assert fork.status_code == 409 and "limit of 1" in fork.json["message"]
    assert not forge.ctx.services["git_hosting"].storage.path("carol", "second").exists()
    assert Repository.select().where(Repository.owner == Account.get(name="carol").id).count() == 1

    limit(forge, "carol", 2)
    forge.create_repo("second", as_user="carol")
    limit(forge, "carol", -1)  # the site's default: no limit
    forge.create_repo("third", as_user="carol")


def test_a_site_administrator_has_no_limit_creating_or_owning(forge):
    limit(forge, "carol", 0)
    created = forge.post("/admin/users/carol/repos", {"name": "given"}, as_user="root")
    assert created.status_code == 201, created.text  # an administrator creates for carol
    assert forge.post("/user/repos", {"name": "mine"}, as_user="carol").status_code == 409
    limit(forge, "root", 0)
    forge.create_repo("roots", as_user="root")


def test_the_sites_limit_applies_to_accounts_without_their_own(build_forge):
    forge = build_forge(git_hosting={"max_creation_limit": 1})
    forge.create_repo("first", as_user="carol")
    assert forge.post("/user/repos", {"name": "second"}, as_user="carol").status_code == 409
    limit(forge, "carol", 3)  # an account's own limit wins over the site's
    forge.create_repo("second", as_user="carol")
    # An organization counts its own repositories, not its members'.
    forge.create_repo("one", org="acme", as_user="bob")
    refused = forge.post("/orgs/acme/repos", {"name": "two"}, as_user="bob")
    assert refused.status_code == 409 and refused.json["message"].startswith("acme has")
    forge.create_repo("mine", as_user="bob")


def test_two_creations_at_once_cannot_both_take_the_last_place(forge):
    limit(forge, "carol", 1)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(
            lambda n: forge.post("/user/repos", {"name": f"race{n}"}, as_user="carol").status_code,
            range(4)))
    assert sorted(answers) == [201, 409, 409, 409]
