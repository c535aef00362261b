"""Hot paths render without building a marshmallow schema per request (issue 13): building one
deep-copies its fields, which was a third of ``GET /api/v1/user``. Counted, never timed."""

from __future__ import annotations

from plue_core.accounts.schemas.users import UserSchema
from plue_core.testing import basic_auth, make_user


def test_user_routes_build_no_user_schema_per_request(client, ctx, monkeypatch):
    make_user(ctx, "alice")
    make_user(ctx, "root", admin=True)
    built = []
    init = UserSchema.__init__
    monkeypatch.setattr(UserSchema, "__init__",
                        lambda self, *a, **k: built.append(1) or init(self, *a, **k))
    own = client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    other = client.simulate_get("/api/v1/users/alice", headers=basic_auth("root"))
    listed = client.simulate_get("/api/v1/admin/users", headers=basic_auth("root"))
    assert (own.status_code, other.status_code, listed.status_code) == (200, 200, 200)
    assert built == []
    # The e-mail still follows Gitea's rule: the user themself and site administrators.
    assert own.json["email"] and other.json["email"]
    assert client.simulate_get("/api/v1/users/root",
                               headers=basic_auth("alice")).json["email"] == ""
    assert {user["login"] for user in listed.json} >= {"alice", "root"}
