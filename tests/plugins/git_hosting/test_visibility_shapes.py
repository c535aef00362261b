"""The compiled form of the visibility rule (``visibility_shape``, ``visible_ids_of_shape``):
its SQL depends on the caller's shape alone — their organizations are a subquery, not a list —
so RunnerHub's ``/api/jobs`` compiles it once per shape (issue 13). It answers as
``visible_repository_ids`` and as the single-repository check (``permission``) for every kind
of caller: anonymous, site administrator (with and without repository scope), owner, team
member of a public and of a private organization, collaborator, a token without repository
scope."""

from __future__ import annotations

from plue_core.db import CompiledSelect, connection
from plue_core.identity import Identity
from plue_git_hosting.models import Repository


def _world(forge) -> None:
    forge.create_repo("secret", private=True)
    forge.create_repo("open")
    forge.create_repo("internal", org="acme", private=True)
    forge.create_repo("shown", org="acme")
    for org, visibility in (("vault", "private"), ("guild", "limited")):
        assert forge.post("/orgs", {"username": org, "visibility": visibility}).status_code == 201
        forge.create_repo("pub", org=org)
        forge.create_repo("priv", org=org, private=True)
    team = forge.post("/orgs/vault/teams", {"name": "readers", "permission": "read",
                                            "units": ["repo.code"]})
    assert team.status_code == 201, team.text
    assert forge.put(f"/teams/{team.json['id']}/members/carol").status_code == 204
    granted = forge.put("/repos/alice/secret/collaborators/carol", {"permission": "read"})
    assert granted.status_code == 204, granted.text


def _identities(ctx) -> dict:
    accounts = ctx.services["accounts"]
    found = {}
    for name, admin in (("root", True), ("alice", False), ("bob", False), ("carol", False)):
        user = accounts.find_user(name)
        found[name] = Identity(user_id=user.id, username=name, is_admin=admin)
        found[f"{name} read:user"] = Identity(user_id=user.id, username=name, is_admin=admin,
                                              scopes=frozenset({"read:user"}), method="token")
        found[f"{name} read:repository"] = Identity(
            user_id=user.id, username=name, is_admin=admin,
            scopes=frozenset({"read:repository"}), method="token")
    found["anonymous"] = None
    return found


def test_the_compiled_form_sees_what_the_rule_sees_for_every_caller(forge):
    _world(forge)
    hosting = forge.ctx.services["git_hosting"]
    compiled = {}  # shape -> one CompiledSelect, shared by every caller of that shape
    shapes = set()
    with connection(forge.ctx.db):
        repositories = list(Repository.select())
        assert len(repositories) == 8
        for who, identity in _identities(forge.ctx).items():
            expected = {repository.id for repository in repositories
                        if hosting.permission(identity, repository) != "none"}
            listed = {row.id for row in hosting.visible_repository_ids(identity)}
            shape, user_id = hosting.visibility_shape(identity)
            shapes.add(shape)
            built = {row.id for row in hosting.visible_ids_of_shape(shape, user_id)}
            if shape not in compiled:
                if user_id is None:
                    compiled[shape] = CompiledSelect(
                        lambda shape=shape: hosting.visible_ids_of_shape(shape, None).tuples())
                else:
                    compiled[shape] = CompiledSelect(
                        lambda user, shape=shape: hosting.visible_ids_of_shape(shape, user)
                        .tuples(), int)
            bound = [] if user_id is None else [user_id]
            through_compiled = {row[0] for row in compiled[shape].rows(*bound)}
            assert listed == built == through_compiled == expected, who
    assert shapes == {"anonymous", "all", "all-public", "public", "member"}


def test_an_administrators_token_without_repository_scope_lists_every_public_repository(forge):
    # An administrator sees every account, a private organization too: its token without
    # repository scope reads (and lists) the public repositories of every owner, no private one.
    _world(forge)
    hosting = forge.ctx.services["git_hosting"]
    identity = _identities(forge.ctx)["root read:user"]
    with connection(forge.ctx.db):
        listed = {(row.owner.name, row.name) for row in Repository.select().where(
            Repository.id.in_(hosting.visible_repository_ids(identity)))}
        assert hosting.permission(identity, hosting.find_repository("vault", "pub")) == "read"
    assert listed == {("alice", "open"), ("acme", "shown"), ("vault", "pub"), ("guild", "pub")}


def test_the_shape_is_what_the_sql_depends_on(forge):
    _world(forge)
    hosting = forge.ctx.services["git_hosting"]
    identities = _identities(forge.ctx)
    with connection(forge.ctx.db):
        # carol belongs to an organization, bob to another, alice owns two: one SQL text.
        texts = {hosting.visible_ids_of_shape(*hosting.visibility_shape(identities[who])).sql()[0]
                 for who in ("alice", "bob", "carol")}
    assert len(texts) == 1
    assert [hosting.visibility_shape(identities[who])[0]
            for who in ("anonymous", "root", "root read:user", "carol read:user",
                        "carol read:repository")] == ["anonymous", "all", "all-public", "public",
                                                      "member"]
