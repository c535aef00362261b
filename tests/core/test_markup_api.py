"""Gitea's rendering operations: POST /markdown, /markdown/raw and /markup answer the web pages'
sanitised HTML as text/html, with Gitea's modes, ``Context`` links and 422s."""

from __future__ import annotations

import pytest


@pytest.fixture
def site(ctx):
    return ctx.config.base_url.rstrip("/")


def _post(client, path, body):
    response = client.simulate_post(f"/api/v1{path}", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


def test_markdown_renders_html_sanitised(client):
    html = _post(client, "/markdown", {"Text": "# Title\n\n**bold** <script>alert(1)</script>"})
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert "<script" not in html


def test_markdown_mode_leaves_references_as_text(client):
    html = _post(client, "/markdown", {"Text": "see #3 and @bob", "Context": "/alice/demo"})
    assert "<a" not in html and "#3" in html and "@bob" in html


@pytest.mark.parametrize("mode", ["comment", "gfm"])
def test_comment_and_gfm_modes_link_issues_of_the_context_and_users(client, site, mode):
    html = _post(client, "/markdown", {"Text": "Fixes #3, thanks @bob", "Mode": mode,
                                       "Context": "/alice/demo"})
    assert f'<a href="{site}/alice/demo/issues/3" class="ref"' in html
    assert f'<a href="{site}/bob" class="ref"' in html


def test_an_unknown_mode_renders_as_markdown_on_markdown(client):
    html = _post(client, "/markdown", {"Text": "#3", "Mode": "nonsense", "Context": "/a/b"})
    assert "<a" not in html


def test_a_src_context_resolves_relative_links_and_images_at_its_ref(client, site):
    html = _post(client, "/markdown", {
        "Text": "[guide](guide.md) ![logo](img/logo.png) [up](../x.md) [abs](https://e.org/)",
        "Mode": "gfm", "Context": "/alice/demo/src/branch/main/docs"})
    assert f'href="{site}/alice/demo/src/branch/main/docs/guide.md"' in html
    assert f'src="{site}/alice/demo/raw/branch/main/docs/img/logo.png"' in html
    assert f'href="{site}/alice/demo/src/branch/main/x.md"' in html
    assert 'href="https://e.org/"' in html


def test_raw_markdown_takes_the_body_as_text(client):
    response = client.simulate_post("/api/v1/markdown/raw", body="*hi* #3 https://e.org",
                                    headers={"Content-Type": "text/plain"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<em>hi</em> #3" in response.text and 'href="https://e.org"' in response.text


def test_empty_text_is_an_empty_body(client):
    assert _post(client, "/markdown", {"Text": ""}) == ""
    assert _post(client, "/markup", {"Mode": "gfm"}) == ""


def test_markup_modes(client, site):
    assert f"{site}/alice/demo/issues/4" in _post(
        client, "/markup", {"Text": "#4", "Mode": "comment", "Context": "/alice/demo"})
    assert "<a" not in _post(client, "/markup", {"Text": "#4", "Context": "/alice/demo"})
    html = _post(client, "/markup", {"Text": "[a](b.md)", "Mode": "file", "FilePath": "doc/x.md",
                                     "Context": "/alice/demo/src/branch/main/doc"})
    assert f'href="{site}/alice/demo/src/branch/main/doc/b.md"' in html


@pytest.mark.parametrize("body", [{"Text": "x", "Mode": "nonsense"},
                                  {"Text": "x", "Mode": "file", "FilePath": "a.png"},
                                  {"Text": 5}, [1]])
def test_bad_bodies_are_422_in_giteas_shape(client, body):
    response = client.simulate_post("/api/v1/markup", json=body)
    assert response.status_code == 422, response.text
    assert set(response.json) >= {"message", "url"}


def test_a_body_over_the_limit_is_413(build_client):
    client = build_client(max_body_size=1024)
    response = client.simulate_post("/api/v1/markdown/raw", body="x" * 2048,
                                    headers={"Content-Type": "text/plain"})
    assert response.status_code == 413


def test_without_the_web_plugin_there_is_no_renderer_and_no_route(build_client):
    client = build_client(plugins={"disabled": ["web"]})
    assert client.simulate_post("/api/v1/markdown", json={"Text": "x"}).status_code == 404
