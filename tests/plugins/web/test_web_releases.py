"""The releases pages (``/{owner}/{repo}/releases`` and ``/releases/tag/{tag}``, the page a
release's ``html_url`` names): notes rendered, files and source archives downloadable, drafts
shown only to those who may publish them, private repositories a 404 to others."""

from __future__ import annotations

import urllib.parse


def make_release(site, repo="alice/code", **options):
    response = site.post(f"/repos/{repo}/releases", options)
    assert response.status_code == 201, response.text
    return response.json


def test_a_release_page_is_its_html_url_with_notes_files_and_archives(site):
    release = make_release(site, tag_name="v2.0", target_commitish="main", name="Two",
                           body="**Bold** notes, see #1")
    upload = site.client.simulate_post(
        f"/api/v1/repos/alice/code/releases/{release['id']}/assets", params={"name": "tool.bin"},
        headers={**site.auth("alice"), "Content-Type": "multipart/form-data; boundary=b"},
        body=(b'--b\r\nContent-Disposition: form-data; name="attachment"; filename="tool.bin"\r\n'
              b"Content-Type: application/octet-stream\r\n\r\nBYTES\r\n--b--\r\n"))
    assert upload.status_code == 201, upload.text
    asset = upload.json
    path = urllib.parse.urlsplit(release["html_url"]).path
    assert path == "/alice/code/releases/tag/v2.0"

    page = site.browser().get(path)
    assert page.status_code == 200, page.text
    assert "<strong>Bold</strong> notes" in page.text
    assert "Two" in page.text and 'href="/alice/code/src/tag/v2.0"' in page.text
    assert f'href="{asset["browser_download_url"]}"' in page.text
    assert f'href="{release["zipball_url"]}"' in page.text
    download = site.browser().get(urllib.parse.urlsplit(asset["browser_download_url"]).path)
    assert download.status_code == 200 and download.content == b"BYTES"

    listing = site.browser().get("/alice/code/releases")
    assert listing.status_code == 200
    assert 'href="/alice/code/releases/tag/v2.0"' in listing.text
    assert 'href="/alice/code/releases">Releases <span class="count">1</span>' in listing.text


def test_drafts_are_shown_to_writers_only_and_private_releases_to_nobody_else(site):
    make_release(site, tag_name="v3.0-draft", name="Draft three", draft=True)
    make_release(site, repo="alice/vault", tag_name="v1", name="Secret one")
    assert "Draft three" in site.browser("alice").get("/alice/code/releases").text
    assert "Draft three" not in site.browser("oscar").get("/alice/code/releases").text
    assert site.browser("oscar").get("/alice/code/releases/tag/v3.0-draft").status_code == 404
    assert site.browser("alice").get("/alice/code/releases/tag/v3.0-draft").status_code == 200
    for browser in (site.browser(), site.browser("oscar")):
        assert browser.get("/alice/vault/releases").status_code == 404
        assert browser.get("/alice/vault/releases/tag/v1").status_code == 404
    assert "Secret one" in site.browser("alice").get("/alice/vault/releases/tag/v1").text
    assert site.browser().get("/alice/code/releases/tag/nope").status_code == 404


def test_the_releases_list_pages(site):
    for number in range(3):
        make_release(site, tag_name=f"v0.{number}", target_commitish="main")
    browser = site.browser()
    original = site.ctx.services["web"].settings["page_size"]
    site.ctx.services["web"].settings["page_size"] = 2
    try:
        first = browser.get("/alice/code/releases")
        second = browser.get("/alice/code/releases", params={"page": "2"})
    finally:
        site.ctx.services["web"].settings["page_size"] = original
    assert "v0.2" in first.text and "v0.1" in first.text and "v0.0" not in first.text
    assert 'rel="next" href="/alice/code/releases?page=2"' in first.text
    assert "v0.0" in second.text and "v0.2" not in second.text
