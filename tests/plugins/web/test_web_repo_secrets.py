"""A repository's Actions secrets and variables in its settings: listed by name, a value
written once and never rendered, for the repository's administrators only."""

from __future__ import annotations

import pytest

from plue_core.testing import recorded_statements

SECRET_VALUE = "hunter2-very-secret"


@pytest.mark.parametrize("kind", ["secrets", "variables"])
def test_adding_listing_and_deleting_without_ever_showing_the_value(site, kind):
    browser = site.browser("alice")
    path = f"/alice/code/settings/actions/{kind}"
    browser.get(path)
    result = browser.post(path, {"action": "add", "name": "deploy_token", "data": SECRET_VALUE,
                                 "description": "for the deploys"})
    assert result.status_code == 303 and result.headers["location"].endswith(path)
    page = browser.get(path)
    assert '<td class="sha">DEPLOY_TOKEN</td>' in page.text and "for the deploys" in page.text
    assert SECRET_VALUE not in page.text
    listed = site.get(f"/repos/alice/code/actions/{kind}").json
    assert [row["name"] for row in listed] == ["DEPLOY_TOKEN"]
    if kind == "variables":  # the API (not the page) shows a variable's value
        assert listed[0]["data"] == SECRET_VALUE
    assert browser.post(path, {"action": "delete", "name": "DEPLOY_TOKEN"}).status_code == 303
    assert site.get(f"/repos/alice/code/actions/{kind}").json == []


def test_a_stored_secret_reaches_workflows_encrypted(site):
    browser = site.browser("alice")
    browser.get("/alice/code/settings/actions/secrets")
    browser.post("/alice/code/settings/actions/secrets",
                 {"action": "add", "name": "TOKEN", "data": SECRET_VALUE})
    stored = site.ctx.db.execute_sql("SELECT data FROM action_secret").fetchall()
    assert len(stored) == 1 and SECRET_VALUE not in stored[0][0]
    service = site.ctx.services["actions"]
    assert service.repository_secrets(site.get("/repos/alice/code").json["id"])[0]["name"] == "TOKEN"


@pytest.mark.parametrize("kind", ["secrets", "variables"])
def test_a_bad_name_is_explained_and_the_value_not_echoed(site, kind):
    browser = site.browser("alice")
    path = f"/alice/code/settings/actions/{kind}"
    browser.get(path)
    result = browser.post(path, {"action": "add", "name": "GITHUB_X", "data": SECRET_VALUE})
    assert result.status_code == 422 and "reserved" in result.text
    assert SECRET_VALUE not in result.text and 'value="GITHUB_X"' in result.text
    browser.get(path)
    assert browser.post(path, {"action": "add", "name": "1X", "data": "v"}).status_code == 422
    browser.get(path)
    assert browser.post(path, {"action": "delete", "name": "NONE"}).status_code == 404
    browser.get(path)
    assert browser.post(path, {"action": "add", "name": "EMPTY", "data": ""}).status_code == 422
    assert site.get(f"/repos/alice/code/actions/{kind}").json == []


def test_a_taken_variable_name_is_a_409(site):
    browser = site.browser("alice")
    path = "/alice/code/settings/actions/variables"
    for expected in (303, 409):
        browser.get(path)
        assert browser.post(path, {"action": "add", "name": "X", "data": "1"}).status_code == expected


@pytest.mark.parametrize("kind", ["secrets", "variables"])
def test_only_administrators_see_them(site, kind):
    site.put("/repos/alice/code/collaborators/oscar", {"permission": "write"})
    oscar = site.browser("oscar")
    assert oscar.get(f"/alice/code/settings/actions/{kind}").status_code == 404
    oscar.get("/alice/code")
    assert oscar.post(f"/alice/code/settings/actions/{kind}",
                      {"action": "add", "name": "X", "data": "1"}).status_code == 404
    assert site.get(f"/repos/alice/code/actions/{kind}").json == []


def test_the_list_costs_a_fixed_number_of_queries(site):
    browser = site.browser("alice")
    with recorded_statements(site.ctx.db) as few:
        assert browser.get("/alice/code/settings/actions/secrets").status_code == 200
    for number in range(5):
        site.put(f"/repos/alice/code/actions/secrets/S{number}", {"data": "x"})
    with recorded_statements(site.ctx.db) as many:
        assert browser.get("/alice/code/settings/actions/secrets").status_code == 200
    assert len(many) == len(few) <= 6, many
