"""Site administration (/-/admin: dashboard with the plugins enabled, users, organizations)
and an organization's pages (/{org}/-/settings, /-/teams, /-/members): who may open them (404
for everyone else), what they change, and what they cost."""

from __future__ import annotations

import pytest

from plue_core.testing import make_user, recorded_statements

ADMIN_PAGES = ("/-/admin", "/-/admin/users", "/-/admin/orgs")


@pytest.fixture
def org_site(site):
    """``acme`` (public) owned by alice, with oscar in a ``devs`` team; ``hidden`` (private)."""
    assert site.post("/orgs", {"username": "acme", "full_name": "Acme"}).status_code == 201
    devs = site.post("/orgs/acme/teams", {"name": "devs", "permission": "write"}).json
    assert site.put(f"/teams/{devs['id']}/members/oscar").status_code == 204
    assert site.post("/orgs", {"username": "hidden", "visibility": "private"}).status_code == 201
    make_user(site.ctx, "eve")
    return site


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_are_for_site_administrators_only(site, path):
    assert site.browser("root").get(path).status_code == 200
    assert site.browser("alice").get(path).status_code == 404
    signed_out = site.browser().get(path)
    assert signed_out.status_code == 303 and "/user/login" in signed_out.headers["location"]


def test_the_dashboard_lists_the_plugins_enabled_and_the_counts(build_app):
    from tests.plugins.web.conftest import build_site
    site = build_site(build_app(plugins={"disabled": ["webhooks"]}))
    page = site.browser("root").get("/-/admin").text
    assert '<td class="sha">web</td>' in page and '<td class="sha">issues</td>' in page
    assert '<td class="sha">webhooks</td>' not in page
    assert "<strong>3</strong> users" in page and "<strong>2</strong> repositories" in page


def test_the_user_list_searches_and_pages(build_app):
    from tests.plugins.web.conftest import build_site
    site = build_site(build_app(web={"page_size": 2}))
    browser = site.browser("root")
    everyone = browser.get("/-/admin/users").text
    assert "Page 1 of 2" in everyone and '<a href="/alice">alice</a>' in everyone
    second = browser.get("/-/admin/users", params={"page": "2"}).text
    assert '<a href="/root">root</a>' in second and '<span class="badge">Admin</span>' in second
    found = browser.get("/-/admin/users", params={"q": "osc"}).text
    assert '<a href="/oscar">oscar</a>' in found and '<a href="/alice">' not in found


def test_the_org_list_shows_every_organization_to_the_admin(org_site):
    page = org_site.browser("root").get("/-/admin/orgs").text
    assert '<a href="/acme">acme</a>' in page and '<a href="/hidden">hidden</a>' in page


def test_the_owner_edits_the_organization(org_site):
    browser = org_site.browser("alice")
    assert 'value="Acme"' in browser.get("/acme/-/settings").text
    result = browser.post("/acme/-/settings", {"full_name": "Acme Inc", "description": "Tools",
                                               "website": "https://acme.test", "location": "",
                                               "email": "", "visibility": "limited"})
    assert result.status_code == 200 and "has been saved" in result.text
    org = org_site.get("/orgs/acme").json
    assert (org["full_name"], org["description"], org["website"], org["visibility"]) == \
        ("Acme Inc", "Tools", "https://acme.test", "limited")
    browser.get("/acme/-/settings")
    bad = browser.post("/acme/-/settings", {"full_name": "x", "visibility": "secret"})
    assert bad.status_code == 422 and "visibility" in bad.text
    assert org_site.get("/orgs/acme").json["full_name"] == "Acme Inc"


def test_org_settings_are_404_to_members_strangers_and_for_private_orgs(org_site):
    assert org_site.browser("oscar").get("/acme/-/settings").status_code == 404
    assert org_site.browser("eve").get("/acme/-/settings").status_code == 404
    assert org_site.browser("eve").get("/hidden/-/members").status_code == 404
    assert org_site.browser("eve").get("/nobody/-/members").status_code == 404
    assert org_site.browser("root").get("/acme/-/settings").status_code == 200
    oscar = org_site.browser("oscar")
    oscar.get("/acme/-/members")
    assert oscar.post("/acme/-/settings", {"full_name": "Mine"}).status_code == 404
    assert oscar.post("/acme/-/teams", {"name": "mine"}).status_code == 404
    assert oscar.post("/acme/-/members", {"name": "alice"}).status_code == 404
    assert org_site.get("/orgs/acme").json["full_name"] == "Acme"


def test_members_list_teams_and_owners_add_one(org_site):
    oscar = org_site.browser("oscar")
    page = oscar.get("/acme/-/teams").text
    assert "<strong>devs</strong>" in page and '<a href="/oscar">oscar</a>' in page
    assert 'action="/acme/-/teams"' not in page  # only owners create teams
    assert org_site.browser("eve").get("/acme/-/teams").status_code == 404
    alice = org_site.browser("alice")
    alice.get("/acme/-/teams")
    assert alice.post("/acme/-/teams", {"name": "ops", "permission": "admin"}).status_code == 303
    assert {team["name"]: team["permission"] for team in org_site.get("/orgs/acme/teams").json} \
        == {"Owners": "owner", "devs": "write", "ops": "admin"}
    alice.get("/acme/-/teams")
    again = alice.post("/acme/-/teams", {"name": "ops"})
    assert again.status_code == 422 and "already exists" in again.text


def test_members_are_listed_as_the_viewer_may_see_them_and_owners_remove_them(org_site):
    assert '<a href="/oscar">oscar</a>' in org_site.browser("alice").get("/acme/-/members").text
    # Nobody's membership is public: a stranger sees none.
    assert "No members you may see" in org_site.browser("eve").get("/acme/-/members").text
    alice = org_site.browser("alice")
    alice.get("/acme/-/members")
    assert alice.post("/acme/-/members", {"name": "oscar"}).status_code == 303
    assert [m["login"] for m in org_site.get("/orgs/acme/members").json] == ["alice"]
    alice.get("/acme/-/members")
    last = alice.post("/acme/-/members", {"name": "alice"})
    assert last.status_code == 422 and "last owner" in last.text


def test_admin_and_org_pages_cost_a_fixed_number_of_queries(org_site):
    root, alice = org_site.browser("root"), org_site.browser("alice")
    with recorded_statements(org_site.ctx.db) as few:
        root.get("/-/admin/users")
        alice.get("/acme/-/teams")
    for number in range(4):
        make_user(org_site.ctx, f"user{number}")
        org_site.post("/orgs/acme/teams", {"name": f"team{number}"})
    with recorded_statements(org_site.ctx.db) as many:
        root.get("/-/admin/users")
        alice.get("/acme/-/teams")
    assert len(many) == len(few) <= 16, many


def test_the_pages_are_linked_from_the_header_and_the_organization(org_site):
    assert 'href="/-/admin"' in org_site.browser("root").get("/").text
    assert 'href="/-/admin"' not in org_site.browser("alice").get("/").text
    page = org_site.browser("alice").get("/acme").text
    assert 'href="/acme/-/members"' in page and 'href="/acme/-/teams"' in page
    assert 'href="/acme/-/settings"' in org_site.browser("alice").get("/acme/-/teams").text
    assert 'href="/acme/-/settings"' not in org_site.browser("oscar").get("/acme/-/teams").text


def test_owners_add_and_remove_team_members(org_site):
    teams = {team["name"]: team for team in org_site.get("/orgs/acme/teams").json}
    devs, owners = teams["devs"], teams["Owners"]
    alice = org_site.browser("alice")
    alice.get("/acme/-/teams")
    assert alice.post("/acme/-/teams", {"action": "add_member", "team": str(devs["id"]),
                                        "name": "eve"}).status_code == 303
    assert {m["login"] for m in org_site.get(f"/teams/{devs['id']}/members").json} == {"oscar", "eve"}
    alice.get("/acme/-/teams")
    assert alice.post("/acme/-/teams", {"action": "remove_member", "team": str(devs["id"]),
                                        "name": "oscar"}).status_code == 303
    assert [m["login"] for m in org_site.get(f"/teams/{devs['id']}/members").json] == ["eve"]
    for fields, status in (({"team": str(owners["id"]), "name": "alice", "action": "remove_member"}, 422),
                           ({"team": str(devs["id"]), "name": "nobody", "action": "add_member"}, 422),
                           ({"team": "999", "name": "eve", "action": "add_member"}, 404),
                           ({"team": str(devs["id"]), "name": "eve", "action": "promote"}, 422)):
        alice.get("/acme/-/teams")
        assert alice.post("/acme/-/teams", fields).status_code == status, fields
    # A team of another organization is not this one's.
    org_site.post("/orgs", {"username": "other"})
    other = org_site.get("/orgs/other/teams").json[0]
    alice.get("/acme/-/teams")
    assert alice.post("/acme/-/teams", {"action": "add_member", "team": str(other["id"]),
                                        "name": "eve"}).status_code == 404
    oscar = org_site.browser("oscar")
    oscar.get("/acme/-/members")
    assert oscar.post("/acme/-/teams", {"action": "add_member", "team": str(devs["id"]),
                                        "name": "oscar"}).status_code == 404
    assert [m["login"] for m in org_site.get(f"/teams/{devs['id']}/members").json] == ["eve"]
