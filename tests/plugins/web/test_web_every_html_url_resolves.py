"""Every ``html_url`` the API returns is a page (issue 15): the repository, its owner, users,
issues, comments, pull requests, reviews and their line comments, commits, branches and tags —
collected from the API's answers, each opened in a browser session; an anchor it names
(``#issuecomment-…``) is an element of that page."""

from __future__ import annotations

import urllib.parse


def html_urls(body, found: set[str]) -> set[str]:
    """Every ``html_url`` in an API answer, however deep."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key == "html_url" and isinstance(value, str) and value:
                found.add(value)
            else:
                html_urls(value, found)
    elif isinstance(body, list):
        for item in body:
            html_urls(item, found)
    return found


def test_every_html_url_the_api_returns_opens_a_page_with_its_anchor(site):
    assert site.post("/repos/alice/code/labels", {"name": "bug", "color": "#ee0701"}).status_code == 201
    assert site.post("/repos/alice/code/milestones", {"title": "v1"}).status_code == 201
    issue = site.post("/repos/alice/code/issues", {"title": "Crash", "body": "It breaks",
                                                     "labels": [1], "milestone": 1})
    assert issue.status_code == 201, issue.text
    comment = site.post("/repos/alice/code/issues/1/comments", {"body": "Seen it too"})
    assert comment.status_code == 201, comment.text
    pull = site.post("/repos/alice/code/pulls", {"title": "Feature", "body": "Fixes #1",
                                                  "head": "feature/x", "base": "main"})
    assert pull.status_code == 201, pull.text
    number = pull.json["number"]
    review = site.post(f"/repos/alice/code/pulls/{number}/reviews", {
        "event": "COMMENT", "body": "A look",
        "comments": [{"path": "feature.txt", "new_position": 1, "body": "This line"}]})
    assert review.status_code == 200, review.text
    review_id = review.json["id"]
    sha = site.get("/repos/alice/code/branches/main").json["commit"]["id"]

    found: set[str] = set()
    for path in ("/repos/alice/code", "/users/alice", "/user",
                 "/repos/alice/code/issues?state=all", "/repos/alice/code/issues/1",
                 "/repos/alice/code/issues/1/comments", "/repos/alice/code/issues/comments",
                 "/repos/alice/code/issues/1/timeline", "/repos/alice/code/pulls?state=all",
                 f"/repos/alice/code/pulls/{number}", f"/repos/alice/code/pulls/{number}/reviews",
                 f"/repos/alice/code/pulls/{number}/reviews/{review_id}/comments",
                 f"/repos/alice/code/pulls/{number}/commits", "/repos/alice/code/commits",
                 f"/repos/alice/code/git/commits/{sha}", "/repos/alice/code/branches",
                 "/repos/alice/code/tags", "/repos/search?q=code", "/user/repos"):
        response = site.get(path)
        assert response.status_code == 200, (path, response.text)
        html_urls(response.json, found)
    base = site.get("/repos/alice/code").json["html_url"].rsplit("/alice/code", 1)[0]
    kinds = {url[len(base):].split("/")[3] if url[len(base):].count("/") > 2 else "repo"
             for url in found}
    # The answers named every kind of page this test means to open.
    assert {"issues", "pulls", "commit"} <= kinds, sorted(found)
    assert any("#issuecomment-" in url for url in found), sorted(found)

    browser = site.browser("alice")
    for url in sorted(found):
        assert url.startswith(base + "/"), url
        parts = urllib.parse.urlsplit(url[len(base):])
        page = browser.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert page.status_code == 200, (url, page.status_code)
        if parts.fragment:
            assert f'id="{parts.fragment}"' in page.text, url
