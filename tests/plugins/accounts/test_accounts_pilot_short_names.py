"""Runner Pilot's ``/org/{org_id}`` takes the organization's uid or its short name (seed 001
gives a client nothing else), so short names are unique regardless of case, enforced by a
unique index; on SQLite and PostgreSQL (PLUE_TEST_DATABASE_URL)."""

from __future__ import annotations

import uuid

import peewee
import pytest

from plue_core import create_app, migrations
from plue_core.accounts import orgs, short_names, users
from plue_core.accounts.models import Account
from plue_core.db import connection
from plue_core.errors import Conflict, Invalid, NotFound
from plue_core.identity import Identity
from plue_core.migrations import AppliedMigration
from plue_core.testing import DEFAULT_PASSWORD, basic_auth, make_test_config, make_user

MIGRATION = "0003_unique_org_short_names"


@pytest.fixture
def pilot(client, ctx):
    """alice, bob and the admin root, each with a Runner Pilot JWT."""
    make_user(ctx, "alice")
    make_user(ctx, "bob")
    make_user(ctx, "root", admin=True)

    def bearer(name):
        token = client.simulate_post("/auth/login", json={"email": f"{name}@example.com",
                                                          "password": DEFAULT_PASSWORD})
        return {"Authorization": f"Bearer {token.json['access_token']}"}

    return {name: bearer(name) for name in ("alice", "bob", "root")}


def create(client, headers, **body):
    return client.simulate_post("/org", json={"name": "Gigatech", **body}, headers=headers)


def identity_of(ctx, name: str) -> Identity:
    with connection(ctx.db):
        user = users.get_user(name)
    return Identity(user_id=user.id, username=user.name, is_admin=user.is_admin)


# --- the resolver ------------------------------------------------------------------------------


def test_an_org_is_found_by_its_uid_and_by_its_short_name_in_any_case(client, pilot):
    org = create(client, pilot["alice"], short_name="GT").json
    for org_id in (org["uid"], "GT", "gt", "gT"):
        got = client.simulate_get(f"/org/{org_id}", headers=pilot["alice"])
        assert got.status_code == 200, (org_id, got.json)
        assert (got.json["uid"], got.json["short_name"]) == (org["uid"], "GT")
    renamed = client.simulate_put("/org/gt", json={"name": "Gigatech Updated"},
                                  headers=pilot["alice"])
    assert renamed.status_code == 200 and renamed.json["name"] == "Gigatech Updated"


def test_a_stranger_gets_404_by_uid_and_by_short_name_an_admin_gets_the_org(client, pilot):
    org = create(client, pilot["alice"], short_name="GT").json
    for org_id in (org["uid"], "GT", "NT", str(uuid.uuid4())):
        for method in ("GET", "PUT"):
            response = client.simulate_request(method, f"/org/{org_id}", json={"name": "X"},
                                               headers=pilot["bob"])
            assert response.status_code == 404, (method, org_id)
            assert response.json == {"error": f"organization {org_id} does not exist"}
    assert client.simulate_get("/org/GT", headers=pilot["root"]).json["uid"] == org["uid"]


def test_the_resolver_takes_a_uid_first_and_then_a_short_name(client, ctx, pilot):
    first = create(client, pilot["alice"], short_name="GT").json
    second = create(client, pilot["alice"], short_name="NT").json
    with connection(ctx.db):
        assert str(orgs.find_pilot_org(first["uid"]).uid) == first["uid"]
        assert str(orgs.find_pilot_org("nt").uid) == second["uid"]
        assert orgs.find_pilot_org("") is None and orgs.find_pilot_org("XX") is None
        # Only a short name written before the rule existed can look like a uid: it cannot
        # take over the uid of another organization.
        Account.update(short_name=first["uid"], lower_short_name=first["uid"]) \
            .where(Account.uid == uuid.UUID(second["uid"])).execute()
        assert str(orgs.find_pilot_org(first["uid"]).uid) == first["uid"]


def test_every_org_route_resolves_through_the_accounts_service(ctx, client, pilot):
    org = create(client, pilot["alice"], short_name="GT").json
    service = ctx.services["accounts"]
    with connection(ctx.db):
        assert str(service.pilot_org_for(identity_of(ctx, "alice"), "gt").uid) == org["uid"]
        with pytest.raises(NotFound):
            service.pilot_org_for(identity_of(ctx, "bob"), "GT")
        # The nodes service (and runners, through it) uses the same resolver.
        assert str(ctx.services["nodes"].org_for(identity_of(ctx, "alice"), "GT").uid) == org["uid"]
        with pytest.raises(NotFound):
            ctx.services["nodes"].org_for(identity_of(ctx, "bob"), org["uid"])


# --- uniqueness ----------------------------------------------------------------------------------


def test_a_taken_short_name_is_409_in_pilots_error_shape_and_creates_nothing(client, ctx, pilot):
    assert create(client, pilot["alice"], short_name="GT").status_code == 200
    with connection(ctx.db):
        before = Account.select().count()
    for headers, short_name in ((pilot["alice"], "GT"), (pilot["bob"], "gt")):
        again = create(client, headers, short_name=short_name)
        assert again.status_code == 409
        assert again.json == {"error": f"short_name {short_name!r} is already taken by another "
                                       "organization (short names are unique regardless of case)"}
    onboarding = client.simulate_post("/onboarding", json={"organization": {
        "name": "Gigatech", "short_name": "Gt", "type": "personal"}}, headers=pilot["bob"])
    assert onboarding.status_code == 409 and "already taken" in onboarding.json["error"]
    with connection(ctx.db):
        assert Account.select().count() == before


def test_renaming_to_a_taken_short_name_is_409_and_changes_nothing(client, pilot):
    create(client, pilot["alice"], short_name="GT")
    create(client, pilot["alice"], short_name="NT")
    refused = client.simulate_put("/org/NT", json={"name": "NextTech", "short_name": "gt"},
                                  headers=pilot["alice"])
    assert refused.status_code == 409 and "'gt' is already taken" in refused.json["error"]
    kept = client.simulate_get("/org/NT", headers=pilot["alice"]).json
    assert (kept["name"], kept["short_name"]) == ("Gigatech", "NT")
    # An org may change the case of its own short name, and then moves to a new one.
    assert client.simulate_put("/org/gt", json={"short_name": "gt"},
                               headers=pilot["alice"]).json["short_name"] == "gt"
    moved = client.simulate_put("/org/gt", json={"short_name": "GTX"}, headers=pilot["alice"])
    assert moved.status_code == 200 and moved.json["short_name"] == "GTX"
    assert client.simulate_get("/org/GT", headers=pilot["alice"]).status_code == 404
    assert create(client, pilot["bob"], short_name="GT").status_code == 200


def test_a_deleted_orgs_short_name_is_free_again(client, pilot):
    login = create(client, pilot["alice"], short_name="GT").json["login"]
    assert client.simulate_delete(f"/api/v1/orgs/{login}",
                                  headers=basic_auth("alice")).status_code == 204
    assert client.simulate_get("/org/GT", headers=pilot["alice"]).status_code == 404
    assert create(client, pilot["bob"], short_name="gt").status_code == 200


def test_orgs_without_a_short_name_are_many_and_addressed_by_uid(client, pilot):
    created = [create(client, pilot["alice"]).json for _ in range(2)]
    assert [o["short_name"] for o in created] == ["", ""]
    for org in created:
        assert client.simulate_get(f"/org/{org['uid']}", headers=pilot["alice"]).status_code == 200


@pytest.mark.parametrize("short_name, reason", [
    ("G T", "is invalid"), ("GT/nodes", "is invalid"), ("-GT", "is invalid"), ("G..T", "is invalid"),
    ("f1e2d3c4-5678-90ab-cdef-1234567890ef", "looks like an organization uid"),
    ("f1e2d3c4567890abcdef1234567890ef", "looks like an organization uid"),
])
def test_a_short_name_that_could_not_address_the_org_is_422(client, pilot, short_name, reason):
    refused = create(client, pilot["alice"], short_name=short_name)
    assert refused.status_code == 422 and reason in refused.json["error"]
    org = create(client, pilot["alice"], short_name="GT").json
    renamed = client.simulate_put(f"/org/{org['uid']}", json={"short_name": short_name},
                                  headers=pilot["alice"])
    assert renamed.status_code == 422 and reason in renamed.json["error"]


def test_the_unique_index_refuses_a_duplicate_written_past_the_checks(ctx, pilot, client):
    create(client, pilot["alice"], short_name="GT")
    with connection(ctx.db):
        with pytest.raises(peewee.IntegrityError), ctx.db.atomic():
            Account.create(name="Other", lower_name="other", type="organization",
                           short_name="gt", lower_short_name="gt")


def test_a_lost_race_for_a_short_name_is_the_same_409(ctx, pilot, client, monkeypatch):
    """Two creations both pass the check on PostgreSQL; the index makes the loser a 409."""
    create(client, pilot["alice"], short_name="GT")
    real_find = short_names.find_org
    calls = []

    def blind_first_check(short_name):
        calls.append(short_name)
        return None if len(calls) == 1 else real_find(short_name)

    monkeypatch.setattr(short_names, "find_org", blind_first_check)
    with connection(ctx.db):
        alice = users.get_user("alice")
        with pytest.raises(Conflict, match="'gt' is already taken"):
            orgs.create_org(alice, name="Other", short_name="gt")
        assert not Account.select().where(Account.lower_name == "other").exists()
        with pytest.raises(Invalid):
            short_names.validate("a b")


# --- the migration -------------------------------------------------------------------------------


def test_the_migration_keeps_the_oldest_duplicate_and_suffixes_the_others(tmp_path,
                                                                          plue_database_url):
    app = create_app(make_test_config(tmp_path, plue_database_url))
    db = app.plue.db
    sources = app.plue.plugins.migration_sources()
    try:
        with connection(db):
            migrations.ensure_history_table(db)
            AppliedMigration.create(plugin="accounts", name=MIGRATION)
            migrations.migrate(db, sources, report=lambda _: None)
            # The schema before the migration, where short names could repeat.
            names = ["GT", "gt", "GT-2", "Gt", "NT", "", "", "x" * 40, "X" * 40]
            for n, short_name in enumerate(names):
                Account.insert(name=f"org{n}", lower_name=f"org{n}", type="organization",
                               short_name=short_name).execute()
            Account.insert(name="user", lower_name="user", type="user", short_name="GT").execute()
            AppliedMigration.delete().where(AppliedMigration.name == MIGRATION).execute()
            assert [s.name for s in migrations.migrate(db, sources, report=lambda _: None)] == \
                [MIGRATION]
            rows = {a.name: (a.short_name, a.lower_short_name)
                    for a in Account.select().order_by(Account.id)}
            assert rows == {
                "org0": ("GT", "gt"), "org1": ("gt-3", "gt-3"), "org2": ("GT-2", "gt-2"),
                "org3": ("Gt-4", "gt-4"), "org4": ("NT", "nt"), "org5": ("", None),
                "org6": ("", None), "org7": ("x" * 40, "x" * 40),
                "org8": ("X" * 38 + "-2", "x" * 38 + "-2"), "user": ("GT", None)}
            assert "account_lower_short_name" in {i.name for i in db.get_indexes("account")}
            with pytest.raises(peewee.IntegrityError), db.atomic():
                Account.update(lower_short_name="nt").where(Account.name == "org0").execute()
    finally:
        app.plue.close()
