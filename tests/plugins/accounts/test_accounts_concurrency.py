"""Races that must end in one winner and clean 4xx answers for the others (never a 500),
on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

from plue_core.testing import basic_auth


def race(n, call):
    """Run ``call(i)`` in ``n`` threads released at the same moment; returns their results."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        results[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_one_of_many_simultaneous_creations_of_the_same_org_wins(world):
    statuses = race(6, lambda i: world.client.simulate_post(
        "/api/v1/orgs", json={"username": "contested"}, headers=basic_auth("carol")).status_code)
    assert sorted(statuses) == [201, 422, 422, 422, 422, 422]


def test_the_same_key_added_at_once_by_two_users_is_stored_once(world, ed25519_key):
    key = ed25519_key()
    statuses = race(2, lambda i: world.client.simulate_post(
        "/api/v1/user/keys", json={"title": "k", "key": key},
        headers=basic_auth(("bob", "carol")[i])).status_code)
    assert sorted(statuses) == [201, 422]


def test_two_owners_leaving_at_once_cannot_leave_the_org_ownerless(world):
    owners = world.owners_team_id
    world.add_to_team(owners, "bob")
    statuses = race(2, lambda i: world.client.simulate_delete(
        f"/api/v1/teams/{owners}/members/{('alice', 'bob')[i]}",
        headers=basic_auth(("alice", "bob")[i])).status_code)
    assert sorted(statuses) == [204, 422]
    left = world.client.simulate_get(f"/api/v1/teams/{owners}/members", headers=basic_auth("root")).json
    assert len(left) == 1


def test_adding_the_same_member_twice_at_once_is_fine(world):
    statuses = race(4, lambda i: world.client.simulate_put(
        f"/api/v1/teams/{world.devs_team_id}/members/carol", headers=basic_auth("alice")).status_code)
    assert statuses == [204, 204, 204, 204]
