"""The addresses the API hands out that are files, not pages, answer at the page address
as in Gitea: a pull request's ``diff_url`` and ``patch_url`` (``/pulls/{n}.diff|.patch``,
the API's bytes). A private repository's are a 404 to a stranger."""

from __future__ import annotations

import urllib.parse


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_a_pull_requests_diff_and_patch_urls_give_the_apis_bytes(site):
    pull = site.post("/repos/alice/code/pulls", {"title": "Feature", "head": "feature/x",
                                                  "base": "main"})
    assert pull.status_code == 201, pull.text
    browser, stranger = site.browser("alice"), site.browser()
    for field in ("diff_url", "patch_url"):
        url = pull.json[field]
        page = browser.get(_path(url))
        assert page.status_code == 200, (url, page.text)
        assert page.headers["content-type"] == "text/plain; charset=utf-8"
        api = site.get(f"/repos/alice/code/pulls/{pull.json['number']}."
                       f"{field.removesuffix('_url')}")
        assert page.content == api.content and b"feature.txt" in page.content
        assert stranger.get(_path(url)).status_code == 200  # a public repository
    assert browser.get("/alice/code/pulls/1.tar").status_code == 404


def test_an_issue_has_no_diff_and_a_private_pull_request_hides_it(site):
    assert site.post("/repos/alice/code/issues", {"title": "Bug"}).status_code == 201
    assert site.browser("alice").get("/alice/code/pulls/1.diff").status_code == 404
    assert site.post("/repos/alice/vault/branches", {"new_branch_name": "topic"}).status_code == 201
    site.add_files("alice/vault", {"t.txt": b"t\n"}, branch="topic")
    pull = site.post("/repos/alice/vault/pulls", {"title": "T", "head": "topic", "base": "main"})
    assert pull.status_code == 201, pull.text
    assert site.browser("alice").get(_path(pull.json["diff_url"])).status_code == 200
    assert site.browser().get(_path(pull.json["diff_url"])).status_code == 404
    assert site.browser("oscar").get(_path(pull.json["patch_url"])).status_code == 404
