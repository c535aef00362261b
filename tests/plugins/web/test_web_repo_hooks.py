"""A repository's webhooks in its settings (/settings/hooks, when the webhooks plugin is on):
listed, added (the API's CreateHookOption rules) and deleted by its administrators; the
secret is written and never shown."""

from __future__ import annotations

from plue_core.testing import recorded_statements

from tests.plugins.web.conftest import build_site

SECRET = "shh-signing-secret"


def test_adding_listing_and_deleting_a_hook_without_showing_its_secret(site):
    browser = site.browser("alice")
    page = browser.get("/alice/code/settings/hooks")
    assert page.status_code == 200 and 'name="event_push"' in page.text
    result = browser.post("/alice/code/settings/hooks", {
        "url": "https://ci.example.com/hook", "content_type": "json", "secret": SECRET,
        "event_push": "1", "event_issues": "1", "branch_filter": "main", "active": "1"})
    assert result.status_code == 303 and result.headers["location"].endswith("/settings/hooks")
    hooks = site.get("/repos/alice/code/hooks").json
    assert [(hook["config"]["url"], sorted(hook["events"]), hook["branch_filter"], hook["active"])
            for hook in hooks] == [("https://ci.example.com/hook",
                                      ["issue_assign", "issue_comment", "issue_label",
                                       "issue_milestone", "issues", "push"], "main", True)]
    page = browser.get("/alice/code/settings/hooks").text
    assert "https://ci.example.com/hook" in page and SECRET not in page
    assert browser.post("/alice/code/settings/hooks",
                        {"action": "delete", "id": str(hooks[0]["id"])}).status_code == 303
    assert site.get("/repos/alice/code/hooks").json == []


def test_hook_mistakes_are_422s_that_store_nothing_and_echo_no_secret(site):
    browser = site.browser("alice")
    for fields, word in (({"url": "ftp://x", "content_type": "json"}, "url"),
                         ({"url": "https://x.test", "content_type": "xml"}, "content_type"),
                         ({"url": "https://x.test", "content_type": "json", "event_nope": "1"},
                          "nope")):
        browser.get("/alice/code/settings/hooks")
        result = browser.post("/alice/code/settings/hooks", {**fields, "secret": SECRET})
        assert result.status_code == 422 and word in result.text and SECRET not in result.text
    browser.get("/alice/code/settings/hooks")
    assert browser.post("/alice/code/settings/hooks",
                        {"action": "delete", "id": "999"}).status_code == 404
    assert site.get("/repos/alice/code/hooks").json == []


def test_hooks_are_for_administrators_only(site):
    site.put("/repos/alice/code/collaborators/oscar", {"permission": "write"})
    oscar = site.browser("oscar")
    assert oscar.get("/alice/code/settings/hooks").status_code == 404
    oscar.get("/alice/code")
    assert oscar.post("/alice/code/settings/hooks",
                      {"url": "https://x.test", "content_type": "json"}).status_code == 404
    assert site.get("/repos/alice/code/hooks").json == []


def test_without_the_webhooks_plugin_there_is_no_page(build_app):
    site = build_site(build_app(plugins={"disabled": ["webhooks"]}))
    browser = site.browser("alice")
    assert browser.get("/alice/code/settings/hooks").status_code == 404
    assert "/settings/hooks" not in browser.get("/alice/code/settings").text


def test_the_list_costs_a_fixed_number_of_queries(site):
    browser = site.browser("alice")
    with recorded_statements(site.ctx.db) as few:
        assert browser.get("/alice/code/settings/hooks").status_code == 200
    for number in range(4):
        site.post("/repos/alice/code/hooks", {"type": "gitea", "active": True, "config": {
            "url": f"https://h{number}.test", "content_type": "json"}})
    with recorded_statements(site.ctx.db) as many:
        assert browser.get("/alice/code/settings/hooks").status_code == 200
    assert len(many) == len(few) <= 6, many
