"""What every page promises: the Content-Security-Policy and its companions, no inline
script or style anywhere, HTML error pages; the routes of the API families, git and the
probes still answer beside the pages; a bounded number of queries per page; the plugin can
be switched off."""

from __future__ import annotations

import re

import pytest

from plue_core.testing import recorded_statements
from plue_web.face import CONTENT_SECURITY_POLICY

from tests.plugins.web.conftest import build_site

PAGES = ["/", "/explore/repos", "/alice", "/user/login", "/user/sign_up", "/alice/code",
         "/alice/code/src/branch/main/src/main.py", "/alice/code/commits/branch/main",
         "/alice/code/branches", "/alice/code/tags", "/alice/code/issues", "/nobody"]


def test_the_content_security_policy_allows_no_inline_script():
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_carries_the_policy_and_has_no_inline_script_or_style(site, signed_in):
    browser = site.browser("alice" if signed_in else None)
    for path in PAGES:
        page = browser.get(path)
        if signed_in and path.startswith("/user/"):
            assert page.status_code == 303, path  # signed in already: on to the front page
            continue
        assert page.status_code in (200, 404), path
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert page.headers["x-content-type-options"] == "nosniff"
        assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), path
        assert " style=" not in page.text and "<style" not in page.text, path
        assert not re.search(r"\son[a-z]+=", page.text), path


def test_markdown_in_a_readme_cannot_run_script(site):
    site.create_repo("evil")
    site.add_files("alice/evil", {"README.md": (
        b"# Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        b"[x](javascript:alert(3)) <a href=\"javascript:alert(4)\">y</a>\n\n"
        b"<iframe src=\"https://evil.example\"></iframe><div style=\"color:red\">z</div>\n")})
    text = site.browser().get("/alice/evil").text
    readme = text[text.index('<div class="markdown">'):]
    assert "<script" not in readme and "onerror" not in readme and 'href="javascript' not in readme
    assert "<iframe" not in readme and "style=" not in readme
    assert '<img src="x">' in readme


def test_errors_on_pages_are_html_and_errors_of_the_api_stay_json(site):
    page = site.browser().get("/alice/nothing")
    assert page.status_code == 404 and "<h1>404</h1>" in page.text
    api = site.client.simulate_get("/api/v1/repos/alice/nothing")
    assert api.status_code == 404 and api.json["message"]
    # An unknown address: HTML for a browser, JSON for an API client.
    assert "<h1>404</h1>" in site.browser().get("/a/b/c/d/e").text
    assert site.client.simulate_get("/a/b/c/d/e").json["message"] == "Not Found"


@pytest.mark.parametrize("path,status,kind", [
    ("/api/v1/version", 200, "application/json"),
    ("/api/v1", 404, "application/json"),
    ("/api/v1/repos/alice", 404, "application/json"),
    ("/api/v1/repos/alice/code", 200, "application/json"),
    ("/api/repos", 401, "application/json"),
    ("/api", 404, "application/json"),
    ("/health", 200, "application/json"),
    ("/swagger.v1.json", 200, "application/json"),
    ("/api/swagger", 200, "text/html"),
    ("/-/plugins", 200, "application/json"),
    ("/alice/code.git/info/refs?service=git-upload-pack", 200,
     "application/x-git-upload-pack-advertisement"),
    ("/alice/code/info/refs?service=git-upload-pack", 200,
     "application/x-git-upload-pack-advertisement"),
])
def test_the_pages_shadow_no_other_route(site, path, status, kind):
    path, _, query = path.partition("?")
    result = site.client.simulate_get(path, query_string=query, headers={"Accept": "text/html"})
    assert result.status_code == status, (path, result.text[:200])
    assert result.headers["content-type"].startswith(kind), path


def test_metrics_still_answers(site):
    result = site.client.simulate_get("/metrics", headers=site.auth("root"))
    assert result.status_code == 200 and "text/plain" in result.headers["content-type"]


def test_the_plugin_can_be_switched_off(build_app):
    app = build_app(plugins={"disabled": ["web"]})
    import falcon.testing
    client = falcon.testing.TestClient(app)
    assert client.simulate_get("/", headers={"Accept": "text/html"}).status_code == 404
    assert client.simulate_get("/api/v1/version").status_code == 200
    assert "web_session" not in app.plue.db.get_tables()


@pytest.mark.parametrize("path,most", [
    # "/" signed in also reads the activity feed and the pull request lists (test_web_dashboard).
    ("/", 14), ("/explore/repos", 6), ("/alice", 6), ("/alice/code", 6),
    ("/alice/code/src/branch/main/src", 6), ("/alice/code/src/branch/main/src/main.py", 6),
    ("/alice/code/commits/branch/main", 6), ("/alice/code/branches", 6),
])
def test_a_page_costs_a_bounded_number_of_queries_whatever_the_rows(build_app, path, most):
    site = build_site(build_app())
    browser = site.browser("alice")
    with recorded_statements(site.ctx.db) as before:
        assert browser.get(path).status_code == 200
    for number in range(6):
        site.create_repo(f"more{number}")
        site.add_files("alice/code", {f"src/extra{number}.py": b"x = 1\n"})
    with recorded_statements(site.ctx.db) as after:
        assert browser.get(path).status_code == 200
    assert len(after) == len(before) <= most, after
