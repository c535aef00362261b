"""The wiki's pages in the browser, at Gitea's URLs: Home, a page (markdown with its sidebar
and footer), the list of pages and a page's history; every ``html_url`` of the wiki API opens."""

from __future__ import annotations

import base64


def _page(site, title: str, text: str, repo: str = "alice/code"):
    response = site.post(f"/repos/{repo}/wiki/new",
                         {"title": title, "content_base64": base64.b64encode(text.encode()).decode()})
    assert response.status_code == 201, response.text
    return response.json


def test_the_wiki_reads_in_the_browser(site):
    browser = site.browser()
    empty = browser.get("/alice/code/wiki")
    assert empty.status_code == 200 and "no pages yet" in empty.text
    home = _page(site, "Home", "# Welcome\n\nSee **this**.")
    _page(site, "_Sidebar", "side links")
    made = _page(site, "Two Words", "second")
    site.patch("/repos/alice/code/wiki/page/Two-Words",
               {"content_base64": base64.b64encode(b"second, edited").decode()})
    page = browser.get("/alice/code/wiki")
    assert page.status_code == 200
    assert "<strong>this</strong>" in page.text and "side links" in page.text
    assert 'href="/alice/code/wiki"' in page.text  # the repository's Wiki tab
    for body in (home, made):
        url = body["html_url"].split("://", 1)[1].split("/", 1)[1]
        assert browser.get(f"/{url}").status_code == 200, url
    assert "second, edited" in browser.get("/alice/code/wiki/Two-Words").text
    listing = browser.get("/alice/code/wiki/_pages").text
    assert 'href="/alice/code/wiki/Two-Words">Two Words<' in listing
    history = browser.get("/alice/code/wiki/Two-Words", query_string="action=_revision").text
    assert "2 revisions" in history and "Update &#34;Two-Words&#34;" in history
    assert browser.get("/alice/code/wiki/Nothing").status_code == 404


def test_a_private_or_switched_off_wiki_is_404(site):
    _page(site, "Home", "secret", repo="alice/vault")
    assert site.browser("oscar").get("/alice/vault/wiki").status_code == 404
    assert site.browser("alice").get("/alice/vault/wiki").status_code == 200
    assert site.patch("/repos/alice/code", {"has_wiki": False}).status_code == 200
    assert site.browser("alice").get("/alice/code/wiki").status_code == 404


def test_a_writer_creates_and_edits_pages_in_the_browser(site):
    browser = site.browser("alice")
    assert browser.get("/alice/code/wiki/_new").status_code == 200
    made = browser.post("/alice/code/wiki/_new", {"title": "Road Map", "content": "**soon**",
                                                   "message": ""})
    assert made.status_code == 303 and made.headers["location"].endswith("/alice/code/wiki/Road-Map")
    again = browser.post("/alice/code/wiki/_new", {"title": "Road Map", "content": "x"},
                         from_page="/alice/code/wiki/_new")
    assert again.status_code == 400 and "already exists" in again.text
    assert browser.get("/alice/code/wiki/Road-Map", query_string="action=_edit").status_code == 200
    edited = browser.post("/alice/code/wiki/Road-Map?action=_edit",
                          {"title": "", "content": "later", "message": "moved"})
    assert edited.status_code == 303
    page = site.get("/repos/alice/code/wiki/page/Road-Map").json
    assert base64.b64decode(page["content_base64"]) == b"later"
    assert page["last_commit"]["message"] == "moved\n"
    assert page["last_commit"]["author"]["name"] == "alice"
    # Readers and strangers may not write; without the form's token nobody may.
    assert site.browser("oscar").get("/alice/code/wiki/_new").status_code == 403
    assert site.browser().get("/alice/code/wiki/_new").status_code == 303  # to sign in
    assert browser.post("/alice/code/wiki/_new", {"title": "T"}, csrf=False).status_code == 403
