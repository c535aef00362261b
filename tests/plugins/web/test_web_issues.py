"""The issue pages: the list with its state and text filters, an issue with its comments,
the new-issue and comment forms — all through the issues service, with its access rules."""

from __future__ import annotations

import re

from plue_core.testing import recorded_statements


def test_opening_an_issue_with_the_form_numbers_it_and_shows_it(site):
    browser = site.browser("oscar")
    browser.get("/alice/code/issues/new")
    result = browser.post("/alice/code/issues/new", {"title": "It breaks", "body": "See **this**"})
    assert result.status_code == 303 and result.headers["location"].endswith("/alice/code/issues/1")
    issue = site.get("/repos/alice/code/issues/1").json
    assert issue["title"] == "It breaks" and issue["user"]["login"] == "oscar"
    page = browser.get("/alice/code/issues/1")
    assert "It breaks" in page.text and "<strong>this</strong>" in page.text
    assert site.get("/repos/alice/code").json["open_issues_count"] == 1


def test_an_issue_needs_a_title(site):
    browser = site.browser("alice")
    browser.get("/alice/code/issues/new")
    result = browser.post("/alice/code/issues/new", {"title": "  ", "body": "kept"})
    assert result.status_code == 422 and "title" in result.text and ">kept</textarea>" in result.text


def test_commenting_and_closing_and_reopening(site):
    site.post("/repos/alice/code/issues", {"title": "Bug"}, as_user="oscar")
    browser = site.browser("oscar")
    browser.get("/alice/code/issues/1")
    assert browser.post("/alice/code/issues/1/comments",
                        {"body": "More details", "action": "comment"}).status_code == 303
    page = browser.get("/alice/code/issues/1")
    assert "More details" in page.text
    # The poster may close their own issue, with a comment or without.
    browser.post("/alice/code/issues/1/comments", {"body": "", "action": "close"})
    assert site.get("/repos/alice/code/issues/1").json["state"] == "closed"
    browser.get("/alice/code/issues/1")
    browser.post("/alice/code/issues/1/comments", {"body": "Back", "action": "reopen"})
    issue = site.get("/repos/alice/code/issues/1").json
    assert issue["state"] == "open" and issue["comments"] == 2


def test_a_stranger_may_not_close_someone_elses_issue(site):
    site.post("/repos/alice/code/issues", {"title": "Bug"})
    browser = site.browser("oscar")
    page = browser.get("/alice/code/issues/1")
    assert 'value="close"' not in page.text
    result = browser.post("/alice/code/issues/1/comments", {"body": "closing", "action": "close"})
    assert result.status_code == 403
    issue = site.get("/repos/alice/code/issues/1").json
    assert issue["state"] == "open" and issue["comments"] == 0  # nothing half done


def test_an_empty_comment_is_refused(site):
    site.post("/repos/alice/code/issues", {"title": "Bug"})
    browser = site.browser("alice")
    browser.get("/alice/code/issues/1")
    assert browser.post("/alice/code/issues/1/comments", {"body": " "}).status_code == 422


def test_signed_out_visitors_read_issues_and_are_sent_to_sign_in_to_write(site):
    site.post("/repos/alice/code/issues", {"title": "Bug"})
    browser = site.browser()
    page = browser.get("/alice/code/issues/1")
    assert page.status_code == 200 and "to comment" in page.text
    form = browser.get("/alice/code/issues/new")
    assert form.status_code == 303
    assert form.headers["location"].endswith("/user/login?redirect_to=%2Falice%2Fcode%2Fissues%2Fnew")


def test_the_list_filters_by_state_and_text_and_pages(build_app):
    from tests.plugins.web.conftest import build_site
    site = build_site(build_app(web={"page_size": 2}))
    for title in ("First bug", "Second bug", "A question"):
        site.post("/repos/alice/code/issues", {"title": title})
    site.patch("/repos/alice/code/issues/1", {"state": "closed"})
    browser = site.browser()
    open_page = browser.get("/alice/code/issues")
    assert "A question" in open_page.text and "Second bug" in open_page.text
    assert "First bug" not in open_page.text
    closed = browser.get("/alice/code/issues", params={"state": "closed"})
    assert "First bug" in closed.text and "A question" not in closed.text
    found = browser.get("/alice/code/issues", params={"state": "all", "q": "bug"})
    assert "First bug" in found.text and "Second bug" in found.text and "A question" not in found.text
    everything = browser.get("/alice/code/issues", params={"state": "all"})
    assert "Page 1 of 2" in everything.text
    assert browser.get("/alice/code/issues", params={"state": "weird"}).status_code == 422


def test_issue_titles_bodies_and_comments_are_escaped(site):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    site.post("/repos/alice/code/issues", {"title": evil, "body": evil})
    site.post("/repos/alice/code/issues/1/comments", {"body": f"[click](javascript:alert(1)) {evil}"})
    browser = site.browser()
    for path in ("/alice/code/issues", "/alice/code/issues/1"):
        text = browser.get(path).text
        assert "<script>alert" not in text and not re.search(r"<img[^>]*onerror", text)
        assert 'href="javascript:' not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in browser.get("/alice/code/issues/1").text


def test_issue_pages_are_404_where_issues_are_switched_off(site):
    site.patch("/repos/alice/code", {"has_issues": False})
    assert site.browser("alice").get("/alice/code/issues").status_code == 404
    assert ">Issues <span" not in site.browser("alice").get("/alice/code").text


def test_an_issue_page_costs_a_fixed_number_of_queries(site):
    site.post("/repos/alice/code/issues", {"title": "Bug"})
    browser = site.browser("oscar")
    with recorded_statements(site.ctx.db) as few:
        assert browser.get("/alice/code/issues/1").status_code == 200
    for number in range(8):
        site.post("/repos/alice/code/issues/1/comments", {"body": f"comment {number}"})
    with recorded_statements(site.ctx.db) as many:
        assert browser.get("/alice/code/issues/1").status_code == 200
    assert len(many) == len(few) <= 12, many
    for number in range(5):
        site.post("/repos/alice/code/issues", {"title": f"More {number}"})
    with recorded_statements(site.ctx.db) as listing:
        assert browser.get("/alice/code/issues").status_code == 200
    assert len(listing) <= 10, listing


def test_an_issue_shows_its_labels_milestone_and_assignees(site):
    label = site.post("/repos/alice/code/labels", {"name": "bug", "color": "#ee0701"}).json
    milestone = site.post("/repos/alice/code/milestones", {"title": "v1.0"}).json
    site.post("/repos/alice/code/issues", {"title": "Bug", "labels": [label["id"]],
                                          "milestone": milestone["id"], "assignees": ["alice"]})
    page = site.browser().get("/alice/code/issues/1").text
    assert '<span class="label">bug</span>' in page
    assert "Milestone <strong>v1.0</strong>" in page
    assert 'Assigned to <a href="/alice">alice</a>' in page
