"""Gitea's following: /user/following/{username} (204; check 204/404), the followers and
following lists (only accounts the caller may see), and followers_count / following_count
in the User body always equal to a fresh COUNT of the rows, after follows made at once and
after a deletion."""

from __future__ import annotations

import concurrent.futures

import pytest

from plue_core.accounts.models import Account, Follow
from plue_core.db import connection
from plue_core.testing import basic_auth


def call(world, method: str, path: str, who: str | None = "alice"):
    return world.client.simulate_request(method, f"/api/v1{path}", headers=world.auth(who))


def logins(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [user["login"] for user in response.json]


def counts(world, name: str) -> tuple[int, int]:
    body = call(world, "GET", f"/users/{name}", "root").json
    return body["followers_count"], body["following_count"]


def fresh_counts(world, name: str) -> tuple[int, int]:
    with connection(world.ctx.db):
        account = Account.get(Account.lower_name == name)
        return (Follow.select().where(Follow.followed == account.id).count(),
                Follow.select().where(Follow.user == account.id).count())


def assert_counts(world, **expected) -> None:
    for name, pair in expected.items():
        assert counts(world, name) == pair == fresh_counts(world, name), name


def test_following_is_checked_counted_listed_and_taken_back(world):
    assert call(world, "GET", "/user/following/bob").status_code == 404
    assert call(world, "PUT", "/user/following/bob").status_code == 204
    assert call(world, "PUT", "/user/following/bob").status_code == 204  # again: once
    assert call(world, "PUT", "/user/following/acme").status_code == 204  # an organization too
    assert call(world, "PUT", "/user/following/alice").status_code == 204  # herself: nothing
    assert call(world, "PUT", "/user/following/bob", "carol").status_code == 204
    assert call(world, "GET", "/user/following/bob").status_code == 204
    assert call(world, "GET", "/users/carol/following/bob", None).status_code == 204
    assert call(world, "GET", "/users/bob/following/carol", None).status_code == 404
    assert call(world, "GET", "/users/bob/following/nobody", None).status_code == 404
    assert_counts(world, alice=(0, 2), bob=(2, 0), carol=(0, 1), acme=(1, 0))
    assert logins(call(world, "GET", "/user/following")) == ["bob", "acme"]
    assert logins(call(world, "GET", "/users/bob/followers", None)) == ["alice", "carol"]
    assert logins(call(world, "GET", "/user/followers", "bob")) == ["alice", "carol"]
    assert logins(call(world, "GET", "/users/acme/followers", None)) == ["alice"]
    page = call(world, "GET", "/users/bob/followers?limit=1&page=2", None)
    assert (logins(page), page.headers["X-Total-Count"]) == (["carol"], "2")
    me = world.client.simulate_get("/api/v1/user", headers=basic_auth("alice")).json
    assert (me["followers_count"], me["following_count"]) == (0, 2)

    assert call(world, "DELETE", "/user/following/bob").status_code == 204
    assert call(world, "DELETE", "/user/following/bob").status_code == 204  # not following
    assert call(world, "GET", "/user/following/bob").status_code == 404
    assert_counts(world, alice=(0, 1), bob=(1, 0))
    assert call(world, "PUT", "/user/following/nobody").status_code == 404
    assert call(world, "PUT", "/user/following/bob", None).status_code == 401


def test_the_lists_hide_whom_the_caller_may_not_see(world):
    root = basic_auth("root")
    world.client.simulate_patch("/api/v1/admin/users/carol", json={"visibility": "private"},
                                headers=root)
    world.client.simulate_patch("/api/v1/admin/users/bob", json={"visibility": "limited"},
                                headers=root)
    for follower in ("bob", "carol"):
        assert call(world, "PUT", "/user/following/alice", follower).status_code == 204
    # carol is private and shares no organization: only she and admins see her.
    assert logins(call(world, "GET", "/users/alice/followers", "carol")) == ["bob", "carol"]
    assert logins(call(world, "GET", "/users/alice/followers", "root")) == ["bob", "carol"]
    assert logins(call(world, "GET", "/users/alice/followers", "bob")) == ["bob"]
    assert logins(call(world, "GET", "/users/alice/followers", None)) == []
    assert call(world, "GET", "/users/alice/followers", None).headers["X-Total-Count"] == "0"
    # The count is Gitea's: every follower, seen or not.
    assert counts(world, "alice") == (2, 0)
    # A private user is 404 to others, in every route that names them.
    for path in ("/users/carol/following", "/users/carol/followers",
                 "/users/carol/following/alice", "/users/alice/following/carol"):
        assert call(world, "GET", path, "bob").status_code == 404, path
    assert call(world, "PUT", "/user/following/carol", "bob").status_code == 404
    assert call(world, "GET", "/users/carol/following/alice", "carol").status_code == 204


def test_follows_made_at_once_count_once(world):
    followers = ["bob", "bob", "carol", "carol", "root", "root"]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(
            lambda who: call(world, "PUT", "/user/following/alice", who).status_code, followers))
    assert answers == [204] * 6
    assert_counts(world, alice=(3, 0), bob=(0, 1))
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda who: call(world, "DELETE", "/user/following/alice", who), followers))
    assert_counts(world, alice=(0, 0), bob=(0, 0), carol=(0, 0))


def test_a_deleted_account_takes_its_follows_and_their_counts(world):
    for follower, followed in (("bob", "carol"), ("carol", "bob"), ("carol", "alice"),
                               ("alice", "carol"), ("carol", "acme")):
        assert call(world, "PUT", f"/user/following/{followed}", follower).status_code == 204
    assert call(world, "DELETE", "/admin/users/carol", "root").status_code == 204
    assert_counts(world, alice=(0, 0), bob=(0, 0), acme=(0, 0))
    with connection(world.ctx.db):
        assert Follow.select().count() == 0
    assert logins(call(world, "GET", "/users/bob/followers")) == []


def test_a_follow_that_lost_the_race_to_a_deletion_is_a_404_and_counts_nothing(world):
    from plue_core.accounts import follows, users
    from plue_core.errors import NotFound

    with connection(world.ctx.db):
        alice, carol = users.get_user("alice"), users.get_user("carol")
    assert call(world, "DELETE", "/admin/users/carol", "root").status_code == 204
    with connection(world.ctx.db):
        with pytest.raises(NotFound):
            follows.follow(alice, carol)  # carol was read before her deletion
        assert Follow.select().count() == 0
    assert_counts(world, alice=(0, 0))
