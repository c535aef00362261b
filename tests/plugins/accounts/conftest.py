"""Fixtures for the accounts tests: a small world of users and an organization, real SSH keys,
and apps built with extra plugins (deletion blockers, event listeners)."""

from __future__ import annotations

import dataclasses

import falcon.testing
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from plue_core.accounts import orgs, teams, users
from plue_core.db import connection
from plue_core.testing import basic_auth, make_user


def openssh_public_key(private_key, comment: str = "someone@laptop") -> str:
    line = private_key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                                 serialization.PublicFormat.OpenSSH).decode()
    return f"{line} {comment}" if comment else line


@pytest.fixture
def ed25519_key():
    """A factory of fresh, real ed25519 public keys in OpenSSH form."""
    return lambda comment="someone@laptop": openssh_public_key(
        ed25519.Ed25519PrivateKey.generate(), comment)


@pytest.fixture(scope="session")
def rsa_3072_key():
    return openssh_public_key(rsa.generate_private_key(public_exponent=65537, key_size=3072))


@pytest.fixture(scope="session")
def rsa_2048_key():
    return openssh_public_key(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture
def ecdsa_key():
    return openssh_public_key(ec.generate_private_key(ec.SECP384R1()))


@dataclasses.dataclass
class World:
    """alice owns the public org "acme", bob is in its "devs" team, carol belongs nowhere,
    root is the site administrator (and the first user)."""

    ctx: object
    client: falcon.testing.TestClient
    devs_team_id: int
    owners_team_id: int

    def auth(self, name: str | None) -> dict:
        return basic_auth(name) if name else {}

    def add_to_team(self, team_id: int, username: str) -> None:
        with connection(self.ctx.db):
            teams.add_team_member(teams.get_team(team_id), users.get_user(username))


def build_world(ctx, client) -> World:
    make_user(ctx, "root", admin=True)
    alice = make_user(ctx, "alice")
    bob = make_user(ctx, "bob")
    make_user(ctx, "carol")
    with connection(ctx.db):
        acme = orgs.create_org(alice, name="acme", full_name="Acme Corp")
        devs = teams.create_team(acme, name="devs", permission="write", visibility="limited")
        teams.add_team_member(devs, bob)
        owners = orgs.owners_team(acme)
    return World(ctx=ctx, client=client, devs_team_id=devs.id, owners_team_id=owners.id)


@pytest.fixture
def world(ctx, client) -> World:
    return build_world(ctx, client)


@pytest.fixture(name="build_world")
def build_world_fixture():
    """``build_world(ctx, client)`` for apps built with ``app_with_plugins``."""
    return build_world


@pytest.fixture
def app_with_plugins(build_app):
    """``app_with_plugins(*plugins, **config)``: plue_core.testing's ``build_app``, with its
    test client."""
    def build(*plugins, **overrides):
        app = build_app(*plugins, **overrides)
        return app, falcon.testing.TestClient(app)

    return build
