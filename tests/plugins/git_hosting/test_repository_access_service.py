"""``ctx.services["git_hosting"].require_repository``: the one repository access check every
plugin and face uses (404 below read, 403 below what the action needs, 423 for a write to an
archived repository), and the one ladder (``allows``)."""

from __future__ import annotations

import pathlib

import pytest

from plue_core.db import connection
from plue_core.errors import Forbidden, Locked, NotFound
from plue_core.identity import Identity


@pytest.fixture
def hosting(forge):
    forge.create_repo("secret", private=True, auto_init=True)
    forge.create_repo("old", auto_init=True)
    assert forge.put("/repos/alice/secret/collaborators/carol", {"permission": "read"}).status_code == 204
    assert forge.patch("/repos/alice/old", {"archived": True}).status_code == 200
    return forge.ctx.services["git_hosting"]


def who(ctx, name: str) -> Identity:
    account = ctx.services["accounts"].find_user(name)
    return Identity(user_id=account.id, username=account.name, is_admin=account.is_admin)


def test_a_repository_below_read_does_not_exist_whoever_asks(forge, hosting):
    with connection(forge.ctx.db):
        for identity in (None, who(forge.ctx, "bob")):
            with pytest.raises(NotFound, match="alice/secret does not exist"):
                hosting.require_repository(identity, "alice", "secret")
        with pytest.raises(NotFound, match="alice/nothing does not exist"):
            hosting.require_repository(None, "alice", "nothing")


def test_below_the_level_needed_is_403_and_the_level_is_returned(forge, hosting):
    with connection(forge.ctx.db):
        carol = who(forge.ctx, "carol")
        access = hosting.require_repository(carol, "ALICE", "Secret")
        assert (access.repository.full_name, access.level) == ("alice/secret", "read")
        assert access.allows("read") and not access.allows("write")
        with pytest.raises(Forbidden, match="write permission on alice/secret is required"):
            hosting.require_repository(carol, "alice", "secret", "write")
        with pytest.raises(Forbidden, match="admin permission on alice/secret is required to "
                                            "manage it"):
            access.require("admin", "manage it")
        owner = hosting.require_repository(who(forge.ctx, "alice"), "alice", "secret", "admin")
        assert owner.level == "admin" and hosting.allows(carol, owner.repository, "read")
        assert not hosting.allows(None, owner.repository, "read")


def test_a_write_to_an_archived_repository_is_423_and_a_read_is_not(forge, hosting):
    with connection(forge.ctx.db):
        alice = who(forge.ctx, "alice")
        assert hosting.require_repository(alice, "alice", "old", "admin").repository.is_archived
        with pytest.raises(Locked, match="alice/old is archived") as refused:
            hosting.require_repository(alice, "alice", "old", "write", writes=True)
        assert refused.value.status == 423


def test_the_ladder_has_one_home():
    """No plugin keeps its own copy of the levels or of the archived error any more."""
    root = pathlib.Path(__file__).resolve().parents[3]
    copies = [str(path.relative_to(root)) for folder in ("plugins", "plue_core", "hosts")
              for path in (root / folder).rglob("*.py")
              if '"read": 1, "write": 2' in path.read_text()
              or "class RepositoryArchived" in path.read_text()]
    assert copies == ["plue_core/accounts/orgs.py"]  # team permissions, which include "owner"
