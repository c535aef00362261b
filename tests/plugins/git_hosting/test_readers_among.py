"""``readers_among(repository_id, user_ids)``: which of many users may read a repository, in
one statement — the same answer as ``allows(identity, repository, "read")`` for each of them
(the owner, an organization's members, collaborators, site administrators; everyone for a
public repository of a visible owner)."""

from __future__ import annotations

from plue_core.db import connection
from plue_core.identity import Identity
from plue_core.testing import recorded_statements


def test_readers_among_answers_as_the_ladder_does_for_each_user_in_one_statement(forge):
    forge.create_repo("private-own", private=True)
    forge.create_repo("private-org", org="acme", private=True)
    forge.create_repo("public-own")
    assert forge.put("/repos/alice/private-own/collaborators/carol",
                     {"permission": "read"}).status_code == 204
    hosting, accounts = forge.ctx.services["git_hosting"], forge.ctx.services["accounts"]
    with connection(forge.ctx.db):
        users = {name: accounts.find_user(name) for name in ("root", "alice", "bob", "carol")}
        for owner, name in (("alice", "private-own"), ("acme", "private-org"),
                            ("alice", "public-own")):
            repository = hosting.find_repository(owner, name)
            expected = {user.id for user in users.values() if hosting.allows(
                Identity(user_id=user.id, username=user.name, is_admin=user.is_admin),
                repository, "read")}
            with recorded_statements(forge.ctx.db) as statements:
                found = hosting.readers_among(repository.id, [u.id for u in users.values()])
            assert found == expected, (name, found, expected)
            assert len(statements) == 1
        names = {user.id: name for name, user in users.items()}
        private_org = hosting.find_repository("acme", "private-org").id
        assert {names[i] for i in hosting.readers_among(private_org, names)} == {
            "root", "alice", "bob"}  # carol is no member of acme
