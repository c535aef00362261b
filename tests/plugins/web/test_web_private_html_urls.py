"""The page addresses of a private repository open for a reader who is not its owner (a
collaborator with read access), as the API hands them to that reader -- contents, a pull
request's files, issues, comments, commits -- and stay 404 for a stranger."""

from __future__ import annotations

import base64
import urllib.parse

from tests.plugins.web.test_web_every_html_url_resolves import html_urls


def test_a_private_repositorys_pages_open_for_its_reader_and_hide_from_a_stranger(site):
    site.put("/repos/alice/vault/collaborators/oscar", {"permission": "read"})
    assert site.post("/repos/alice/vault/branches", {"new_branch_name": "topic"}).status_code == 201
    body = {"branch": "topic", "message": "Topic work",
            "content": base64.b64encode(b"topic\n").decode()}
    assert site.post("/repos/alice/vault/contents/docs/topic.txt", body).status_code == 201
    pull = site.post("/repos/alice/vault/pulls", {"title": "Topic", "head": "topic",
                                                  "base": "main"})
    assert pull.status_code == 201, pull.text
    assert site.post("/repos/alice/vault/issues/1/comments",
                     {"body": "Look"}).status_code == 201
    found: set[str] = set()
    for path in ("/repos/alice/vault", "/repos/alice/vault/contents",
                 "/repos/alice/vault/contents/docs?ref=topic",
                 "/repos/alice/vault/contents/docs/topic.txt?ref=topic",
                 "/repos/alice/vault/pulls/1", "/repos/alice/vault/pulls/1/files",
                 "/repos/alice/vault/issues/comments", "/repos/alice/vault/commits?sha=topic",
                 "/repos/alice/vault/branches"):
        response = site.get(path, as_user="oscar")
        assert response.status_code == 200, (path, response.text)
        html_urls(response.json, found)
    assert any("/src/" in url for url in found), sorted(found)
    base = site.get("/repos/alice/vault", as_user="oscar").json["html_url"].rsplit(
        "/alice/vault", 1)[0]
    reader, stranger = site.browser("oscar"), site.browser()
    for url in sorted(found):
        parts = urllib.parse.urlsplit(url[len(base):])
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        assert reader.get(path).status_code == 200, url
        if path.startswith("/alice/vault"):
            assert stranger.get(path).status_code == 404, url
