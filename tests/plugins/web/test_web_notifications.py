"""The notifications page: the signed-in user's threads, "mark read" for one or all (forms
with the CSRF token), and the unread count in every page's header."""

from __future__ import annotations


def test_the_page_lists_threads_marks_them_read_and_the_header_counts_them(site):
    for title in ("Crash on start", "Typo"):
        site.post("/repos/alice/code/issues", {"title": title}, as_user="oscar")
    browser = site.browser("alice")
    page = browser.get("/notifications")
    assert page.status_code == 200
    assert "Crash on start" in page.text and "Typo" in page.text
    assert 'href="/notifications"' in page.text and 'aria-label="2 unread"' in page.text
    thread = site.get("/notifications").json[0]
    result = browser.post("/notifications/read", {"thread": str(thread["id"])})
    assert result.status_code == 303 and result.headers["location"].endswith("/notifications")
    assert site.get("/notifications/new").json == {"new": 1}
    assert 'aria-label="1 unread"' in browser.get("/alice/code").text
    browser.get("/notifications")
    assert browser.post("/notifications/read", {}).status_code == 303
    assert site.get("/notifications/new").json == {"new": 0}
    page = browser.get("/notifications")
    assert "No notifications to read" in page.text and "unread\"" not in page.text
    assert "Typo" in browser.get("/notifications", params={"all": "1"}).text


def test_the_page_is_for_signed_in_users_and_marking_needs_the_csrf_token(site):
    assert site.browser().get("/notifications").status_code == 303
    site.post("/repos/alice/code/issues", {"title": "Mine"}, as_user="oscar")
    thread = site.get("/notifications").json[0]
    browser = site.browser("alice")
    browser.get("/notifications")
    refused = browser.post("/notifications/read", {"thread": str(thread["id"])}, csrf=False)
    assert refused.status_code == 403
    other = site.browser("oscar")
    other.get("/notifications")
    assert other.post("/notifications/read", {"thread": str(thread["id"])}).status_code == 403
    assert site.get("/notifications/new").json == {"new": 1}
