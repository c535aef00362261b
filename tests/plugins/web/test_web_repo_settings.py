"""A repository's settings pages: its options, collaborators and branch protection rules, for
its administrators only (404 to everyone else, as Gitea), each change the API's own."""

from __future__ import annotations

import pytest

from plue_core.testing import recorded_statements

PAGES = ("/settings", "/settings/collaboration", "/settings/branches",
         "/settings/branches/edit")


def test_the_owner_changes_description_website_visibility_and_merge_styles(site):
    browser = site.browser("alice")
    page = browser.get("/alice/code/settings")
    assert page.status_code == 200 and "Alice&#39;s code" in page.text
    assert '<option selected>main</option>' in page.text and "<option>feature/x</option>" in page.text
    result = browser.post("/alice/code/settings", {
        "description": "New words", "website": "https://example.com", "private": "1",
        "default_branch": "feature/x", "has_issues": "1", "has_pull_requests": "1",
        "allow_squash_merge": "1"})
    assert result.status_code == 303 and result.headers["location"].endswith("/alice/code/settings")
    repository = site.get("/repos/alice/code").json
    assert repository["description"] == "New words" and repository["website"] == "https://example.com"
    assert repository["private"] is True and repository["default_branch"] == "feature/x"
    assert repository["allow_squash_merge"] is True and repository["allow_merge_commits"] is False
    assert repository["has_actions"] is False and repository["has_issues"] is True
    # Now private: a stranger sees nothing.
    assert site.browser("oscar").get("/alice/code").status_code == 404


def test_a_bad_setting_is_a_422_on_the_form_and_changes_nothing(site):
    browser = site.browser("alice")
    browser.get("/alice/code/settings")
    result = browser.post("/alice/code/settings", {"description": "x" * 3000, "website": ""})
    assert result.status_code == 422 and "description" in result.text
    assert 'role="alert"' in result.text
    browser.get("/alice/code/settings")
    result = browser.post("/alice/code/settings", {"description": "ok", "default_branch": "nope"})
    assert result.status_code == 422 and "nope" in result.text
    assert site.get("/repos/alice/code").json["description"] == "Alice's code"


@pytest.mark.parametrize("path", PAGES)
def test_settings_are_404_to_readers_and_writers_and_private_repos_to_strangers(site, path):
    assert site.put("/repos/alice/code/collaborators/oscar",
                    {"permission": "write"}).status_code == 204
    oscar = site.browser("oscar")
    assert oscar.get(f"/alice/code{path}").status_code == 404
    assert oscar.get(f"/alice/vault{path}").status_code == 404
    assert site.browser("root").get(f"/alice/code{path}").status_code == 200  # site admin
    signed_out = site.browser().get(f"/alice/code{path}")
    assert signed_out.status_code == 303 and "/user/login" in signed_out.headers["location"]


def test_settings_forms_are_refused_to_non_admins_and_without_the_token(site):
    oscar = site.browser("oscar")
    oscar.get("/alice/code")
    for path, fields in (("/settings", {"description": "mine"}),
                         ("/settings/collaboration", {"action": "add", "collaborator": "oscar"}),
                         ("/settings/branches/edit", {"rule_name": "main"})):
        assert oscar.post(f"/alice/code{path}", fields).status_code == 404, path
    alice = site.browser("alice")
    alice.get("/alice/code/settings")
    assert alice.post("/alice/code/settings", {"description": "x"}, csrf=False).status_code == 403
    assert site.get("/repos/alice/code").json["description"] == "Alice's code"
    assert site.get("/repos/alice/code/collaborators").json == []


def test_an_admin_collaborator_may_open_the_settings(site):
    site.put("/repos/alice/code/collaborators/oscar", {"permission": "admin"})
    assert site.browser("oscar").get("/alice/code/settings").status_code == 200


def test_adding_changing_and_removing_a_collaborator(site):
    browser = site.browser("alice")
    browser.get("/alice/code/settings/collaboration")
    result = browser.post("/alice/code/settings/collaboration",
                          {"action": "add", "collaborator": "oscar", "permission": "read"})
    assert result.status_code == 303
    assert site.get("/repos/alice/code/collaborators/oscar/permission").json["permission"] == "read"
    page = browser.get("/alice/code/settings/collaboration")
    assert '<a href="/oscar">oscar</a>' in page.text and "<option selected>read</option>" in page.text
    browser.post("/alice/code/settings/collaboration",
                 {"action": "change", "name": "oscar", "permission": "write"})
    assert site.get("/repos/alice/code/collaborators/oscar/permission").json["permission"] == "write"
    browser.get("/alice/code/settings/collaboration")
    browser.post("/alice/code/settings/collaboration", {"action": "remove", "name": "oscar"})
    assert site.get("/repos/alice/code/collaborators").json == []


def test_collaborator_mistakes_are_explained(site):
    browser = site.browser("alice")
    browser.get("/alice/code/settings/collaboration")
    result = browser.post("/alice/code/settings/collaboration",
                          {"action": "add", "collaborator": "nobody", "permission": "write"})
    assert result.status_code == 422 and "nobody" in result.text
    browser.get("/alice/code/settings/collaboration")
    result = browser.post("/alice/code/settings/collaboration",
                          {"action": "add", "collaborator": "oscar", "permission": "owner"})
    assert result.status_code == 422 and "permission" in result.text
    browser.get("/alice/code/settings/collaboration")
    result = browser.post("/alice/code/settings/collaboration",
                          {"action": "add", "collaborator": "alice", "permission": "write"})
    assert result.status_code == 422 and "owns" in result.text
    browser.get("/alice/code/settings/collaboration")
    assert browser.post("/alice/code/settings/collaboration",
                        {"action": "remove", "name": "oscar"}).status_code == 404
    browser.get("/alice/code/settings/collaboration")
    assert browser.post("/alice/code/settings/collaboration",
                        {"action": "wipe"}).status_code == 422
    assert site.get("/repos/alice/code/collaborators").json == []


def test_protecting_a_branch_editing_and_deleting_the_rule(site):
    browser = site.browser("alice")
    page = browser.get("/alice/code/settings/branches/edit")
    assert page.status_code == 200
    result = browser.post("/alice/code/settings/branches/edit", {
        "original_name": "", "rule_name": "main", "enable_push": "1",
        "enable_push_whitelist": "1", "push_whitelist_usernames": "alice",
        "required_approvals": "2"})
    assert result.status_code == 303 and result.headers["location"].endswith("/settings/branches")
    rule = site.get("/repos/alice/code/branch_protections/main").json
    assert rule["enable_push"] and rule["push_whitelist_usernames"] == ["alice"]
    assert rule["required_approvals"] == 2
    listing = browser.get("/alice/code/settings/branches").text
    assert '<td class="sha">main</td>' in listing and "<td>alice</td>" in listing
    form = browser.get("/alice/code/settings/branches/edit", params={"rule_name": "main"}).text
    assert 'name="enable_push" value="1" checked' in form and ">alice</textarea>" in form
    browser.post("/alice/code/settings/branches/edit", {
        "original_name": "main", "rule_name": "main", "required_approvals": "1",
        "enable_status_check": "1", "status_check_contexts": "ci/test\nci/lint"})
    rule = site.get("/repos/alice/code/branch_protections/main").json
    assert rule["required_approvals"] == 1 and rule["enable_push"] is False
    assert rule["status_check_contexts"] == ["ci/test", "ci/lint"]
    browser.get("/alice/code/settings/branches")
    assert browser.post("/alice/code/settings/branches/delete",
                        {"rule_name": "main"}).status_code == 303
    assert site.get("/repos/alice/code/branch_protections").json == []


def test_branch_rule_mistakes_are_explained_and_store_nothing(site):
    browser = site.browser("alice")
    browser.get("/alice/code/settings/branches/edit")
    result = browser.post("/alice/code/settings/branches/edit",
                          {"original_name": "", "rule_name": "main", "required_approvals": "many"})
    assert result.status_code == 422 and "required_approvals" in result.text
    browser.get("/alice/code/settings/branches/edit")
    assert browser.post("/alice/code/settings/branches/edit",
                        {"original_name": "", "rule_name": " "}).status_code == 400
    assert site.get("/repos/alice/code/branch_protections").json == []
    browser.get("/alice/code/settings/branches/edit")
    browser.post("/alice/code/settings/branches/edit", {"original_name": "", "rule_name": "main"})
    browser.get("/alice/code/settings/branches/edit")
    again = browser.post("/alice/code/settings/branches/edit",
                         {"original_name": "", "rule_name": "main"})
    assert again.status_code == 403 and "already exist" in again.text
    assert browser.get("/alice/code/settings/branches/edit",
                       params={"rule_name": "nope"}).status_code == 404


def test_the_settings_pages_cost_a_fixed_number_of_queries(site):
    browser = site.browser("alice")
    with recorded_statements(site.ctx.db) as few:
        assert browser.get("/alice/code/settings/collaboration").status_code == 200
        assert browser.get("/alice/code/settings/branches").status_code == 200
    for name in ("bob", "carol", "dave"):
        from plue_core.testing import make_user
        make_user(site.ctx, name)
        site.put(f"/repos/alice/code/collaborators/{name}", {"permission": "read"})
        site.post("/repos/alice/code/branch_protections", {"rule_name": f"release/{name}"})
    with recorded_statements(site.ctx.db) as many:
        assert browser.get("/alice/code/settings/collaboration").status_code == 200
        assert browser.get("/alice/code/settings/branches").status_code == 200
    assert len(many) == len(few) <= 12, many
    with recorded_statements(site.ctx.db) as options:
        assert browser.get("/alice/code/settings").status_code == 200
    assert len(options) <= 6, options


def test_the_settings_tab_shows_to_the_owner_only(site):
    assert 'href="/alice/code/settings"' in site.browser("alice").get("/alice/code").text
    assert 'href="/alice/code/settings"' not in site.browser("oscar").get("/alice/code").text
    assert 'href="/alice/code/settings"' not in site.browser().get("/alice/code").text
