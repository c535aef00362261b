"""The links a push's webhook payload carries open pages, as a chat or CI receiver shows
them: ``compare_url`` (``/compare/{before}...{after}``, two commit ids, as Gitea writes it),
each commit's ``url`` and the repository's ``html_url``. Gitea's compare page reads a branch,
a tag or a commit id on either side; a pull request is offered only between branches."""

from __future__ import annotations

import urllib.parse

import pytest

from tests.plugins.web.conftest import build_site
from tests.plugins.webhooks.receiver import WebhookReceiver


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    yield server
    server.close()


@pytest.fixture
def hooked_site(build_app):
    return build_site(build_app(webhooks={"allowed_host_list": "loopback",
                                          "send_in_process": False}))


def _page_path(url: str, base: str) -> str:
    assert url.startswith(base + "/"), url
    parts = urllib.parse.urlsplit(url[len(base):])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_every_link_of_a_push_payload_opens_a_page(hooked_site, receiver):
    site = hooked_site
    hook = site.post("/repos/alice/code/hooks", {
        "type": "gitea", "active": True, "events": ["push"],
        "config": {"url": receiver.url, "content_type": "json"}})
    assert hook.status_code == 201, hook.text
    site.add_files("alice/code", {"more.txt": b"one\n"}, message="First more")
    site.add_files("alice/code", {"again.txt": b"two\n"}, message="Second more")
    from plue_webhooks import sender
    sender.send_due(site.ctx.services["webhooks"])
    payload = receiver.deliveries[-1].payload
    base = payload["repository"]["html_url"].rsplit("/alice/code", 1)[0]
    assert payload["compare_url"].endswith(f"/compare/{payload['before']}...{payload['after']}")

    browser = site.browser("alice")
    page = browser.get(_page_path(payload["compare_url"], base))
    assert page.status_code == 200, page.text
    assert "1 commit" in page.text and "Second more" in page.text
    assert "+two" in page.text
    assert 'id="new-pull"' not in page.text  # two commits: nothing to open a pull from
    links = [payload["repository"]["html_url"], payload["head_commit"]["url"]]
    links += [commit["url"] for commit in payload["commits"]]
    for url in links:
        assert browser.get(_page_path(url, base)).status_code == 200, url


def test_a_tag_and_an_abbreviated_commit_compare_too(site):
    main = site.get("/repos/alice/code/branches/main").json["commit"]["id"]
    feature = site.get("/repos/alice/code/branches/feature%2Fx").json["commit"]["id"]
    browser = site.browser("alice")
    page = browser.get(f"/alice/code/compare/v1.0...{feature[:10]}")
    assert page.status_code == 200, page.text
    assert "Work on the feature" in page.text
    assert browser.get(f"/alice/code/compare/{main}...feature/x").status_code == 200


def test_a_name_that_is_no_branch_tag_or_commit_is_still_404(site):
    browser = site.browser("alice")
    page = browser.get("/alice/code/compare/main...nothing-here")
    assert page.status_code == 404
    assert "nothing-here" in page.text
    assert browser.get("/alice/code/compare/nothing-here...main").status_code == 404


def test_branches_still_offer_a_pull_request(site):
    page = site.browser("alice").get("/alice/code/compare/main...feature/x")
    assert page.status_code == 200
    assert 'id="new-pull"' in page.text


def test_a_new_branchs_compare_url_opens_too(hooked_site, receiver):
    site = hooked_site
    assert site.post("/repos/alice/code/hooks", {
        "type": "gitea", "active": True, "events": ["push"],
        "config": {"url": receiver.url, "content_type": "json"}}).status_code == 201
    assert site.post("/repos/alice/code/branches", {"new_branch_name": "copy"}).status_code == 201
    from plue_webhooks import sender
    sender.send_due(site.ctx.services["webhooks"])
    [copy] = [d.payload for d in receiver.deliveries if d.payload["ref"] == "refs/heads/copy"]
    base = copy["repository"]["html_url"].rsplit("/alice/code", 1)[0]
    assert copy["compare_url"].endswith(f"/compare/main...{copy['after']}")
    page = site.browser("alice").get(_page_path(copy["compare_url"], base))
    assert page.status_code == 200, page.text
