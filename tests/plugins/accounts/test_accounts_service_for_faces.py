"""What the web's account pages and SSH's deploy keys ask of ``ctx.services["accounts"]``
instead of importing accounts' modules (the `accounts-internals` contract of .importlinter):
form values checked with Gitea's option schemas inside the service, the instance's key and
password rules applied by the service, and the lookups named as the modules' functions."""

from __future__ import annotations

import pytest

from plue_core.accounts import admin_users, orgs, ssh_keys, teams, users
from plue_core.accounts.service import AccountsService
from plue_core.db import connection
from plue_core.errors import Invalid


@pytest.fixture
def accounts(ctx):
    return ctx.services["accounts"]


def test_the_lookups_are_the_modules_functions():
    assert AccountsService.search_all_users is admin_users.search_users
    assert AccountsService.all_orgs is orgs.all_orgs
    assert AccountsService.remove_org_member is orgs.remove_member
    assert AccountsService.teams_of_org is teams.teams_of_org
    assert AccountsService.members_of_teams is teams.members_of_teams
    assert AccountsService.team_permissions is teams.TEAM_PERMISSIONS
    assert AccountsService.touch_last_login is users.touch_last_login
    assert AccountsService.access_tokens_of is users.access_tokens_of
    assert AccountsService.ssh_keys_of is ssh_keys.keys_of
    assert AccountsService.delete_ssh_key is ssh_keys.delete_key


def test_edit_user_checks_the_fields_with_gitea_edit_user_option(world, accounts):
    with connection(world.ctx.db):
        alice = users.get_user("alice")
        with pytest.raises(Invalid) as refused:
            accounts.edit_user(alice, {"website": "ftp://example.com"}, only=("website",))
        assert "website" in refused.value.message
        accounts.edit_user(alice, {"website": "https://alice.example", "location": "Lyon"},
                           only=("website", "location"))
        assert users.get_user("alice").website == "https://alice.example"
        assert users.get_user("alice").location == "Lyon"


def test_edit_user_ignores_the_fields_the_face_does_not_offer(world, accounts):
    with connection(world.ctx.db):
        accounts.edit_user(users.get_user("carol"), {"full_name": "Carol C", "admin": True},
                           only=("full_name",))
        carol = users.get_user("carol")
        assert carol.full_name == "Carol C" and carol.is_admin is False


def test_edit_org_checks_the_fields_with_gitea_edit_org_option(world, accounts):
    with connection(world.ctx.db):
        acme = orgs.get_org("acme")
        with pytest.raises(Invalid) as refused:
            accounts.edit_org(acme, {"visibility": "secret"})
        assert "visibility" in refused.value.message
        accounts.edit_org(acme, {"description": "Widgets", "visibility": "limited"})
        acme = orgs.get_org("acme")
        assert (acme.description, acme.visibility) == ("Widgets", "limited")


def test_parse_ssh_key_applies_the_instance_minimum_rsa_size(accounts, rsa_2048_key,
                                                             rsa_3072_key):
    with pytest.raises(Invalid) as refused:
        accounts.parse_ssh_key(rsa_2048_key)
    assert "3071" in refused.value.message
    parsed = accounts.parse_ssh_key(rsa_3072_key)
    assert parsed.key_type == "ssh-rsa" and parsed.fingerprint.startswith("SHA256:")


def test_create_user_and_set_password_follow_the_instance_password_rules(ctx, accounts):
    with connection(ctx.db):
        with pytest.raises(Invalid):
            accounts.create_user(username="dave", email="dave@example.com", password="x")
        dave = accounts.create_user(username="dave", email="dave@example.com",
                                    password="a long enough password")
        first_hash = dave.password_hash
        with pytest.raises(Invalid):
            accounts.set_password(dave, "x")
        assert dave.password_hash == first_hash
        accounts.set_password(dave, "another long password")  # the caller saves the row
        assert dave.password_hash != first_hash


def test_add_ssh_key_stores_the_key_once(world, accounts, ed25519_key):
    key = ed25519_key()
    with connection(world.ctx.db):
        bob = users.get_user("bob")
        stored = accounts.add_ssh_key(bob, title="laptop", key=key)
        assert [row.id for row in accounts.ssh_keys_of(bob)] == [stored.id]
        with pytest.raises(Invalid) as refused:
            accounts.add_ssh_key(users.get_user("carol"), title="laptop", key=key)
        assert "already been added" in refused.value.message


def test_members_of_teams_lists_each_team_members_by_name(world, accounts):
    world.add_to_team(world.devs_team_id, "carol")
    with connection(world.ctx.db):
        members = accounts.members_of_teams([world.devs_team_id, world.owners_team_id])
        assert {team_id: [account.name for account in rows]
                for team_id, rows in members.items()} == {
            world.devs_team_id: ["bob", "carol"], world.owners_team_id: ["alice"]}
        assert accounts.members_of_teams([]) == {}
