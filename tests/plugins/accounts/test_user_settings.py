"""Gitea's /user/settings: the profile fields are the account's, the others stored; a bad
value is 422 and changes nothing; hide_email decides whether other signed-in users see the
e-mail in User bodies (kept private by default)."""

from __future__ import annotations

from plue_core.testing import basic_auth

DEFAULTS = {"full_name": "", "website": "", "description": "", "location": "", "language": "",
            "theme": "gitea-auto", "diff_view_style": "", "hide_email": True,
            "hide_activity": False}


def settings(world, who: str = "alice", method: str = "GET", body=None):
    return world.client.simulate_request(method, "/api/v1/user/settings",
                                         headers=world.auth(who), json=body)


def test_settings_are_read_changed_and_shown_on_the_profile(world):
    assert settings(world).json == DEFAULTS
    changes = {"full_name": "Alice A", "website": "https://alice.example", "description": "hi",
               "location": "Lyon", "language": "fr-FR", "theme": "arc-green",
               "diff_view_style": "split", "hide_email": False, "hide_activity": True}
    changed = settings(world, method="PATCH", body=changes)
    assert changed.status_code == 200 and changed.json == changes
    assert settings(world).json == changes
    assert settings(world, method="PATCH", body={"theme": "gitea-dark"}).json == \
        {**changes, "theme": "gitea-dark"}
    me = world.client.simulate_get("/api/v1/user", headers=basic_auth("alice")).json
    assert (me["full_name"], me["website"], me["location"], me["language"]) == \
        ("Alice A", "https://alice.example", "Lyon", "fr-FR")
    # The language is shown to the user and administrators only, as Gitea's.
    assert world.client.simulate_get("/api/v1/users/alice", headers=basic_auth("bob")).json["language"] == ""
    assert settings(world, "bob").json == DEFAULTS
    assert settings(world, None).status_code == 401


def test_a_bad_value_is_422_and_changes_nothing(world):
    for body in ({"website": "not a url", "theme": "x"}, {"language": "far-too-long"},
                 {"full_name": "x" * 101}, {"hide_email": "perhaps"}):
        refused = settings(world, method="PATCH", body=body)
        assert refused.status_code == 422, (body, refused.text)
    assert settings(world).json == DEFAULTS


def test_hide_email_decides_whether_other_signed_in_users_see_the_email(world):
    def seen_by(who):
        return world.client.simulate_get("/api/v1/users/alice", headers=world.auth(who)).json["email"]

    assert (seen_by("bob"), seen_by(None), seen_by("root")) == ("", "", "alice@example.com")
    settings(world, method="PATCH", body={"hide_email": False})
    assert (seen_by("bob"), seen_by(None)) == ("alice@example.com", "")
    found = world.client.simulate_get("/api/v1/users/search?q=alice", headers=basic_auth("carol"))
    assert [user["email"] for user in found.json["data"]] == ["alice@example.com"]
    settings(world, method="PATCH", body={"hide_email": True})
    assert (seen_by("bob"), seen_by("alice")) == ("", "alice@example.com")
