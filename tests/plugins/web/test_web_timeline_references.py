"""References on the issue and pull request page: from another issue, a comment, a pull
request (with its closing keyword) and a pushed commit, each linking to its source; a
reference edited away is hidden; one from a private repository only shows to who may read it;
the page's query count does not grow with the references."""

from __future__ import annotations

import re

from plue_core.testing import recorded_statements

from tests.plugins.web.test_web_issue_timeline import events_text


def lines(page: str) -> list[str]:
    return [re.sub(r" \S+ ago$| just now$", "", line) for line in events_text(page)]


def test_references_show_with_links_to_their_sources(site):
    site.post("/repos/alice/code/issues", {"title": "Crash"})
    site.post("/repos/alice/code/issues", {"title": "Follow-up", "body": "After #1"})
    comment = site.post("/repos/alice/code/issues/2/comments", {"body": "Also #1"}).json
    pull = site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                 "title": "The fix", "body": "Fixes #1"})
    assert pull.status_code == 201, pull.text
    site.add_files("alice/code", {"fix.txt": b"fixed\n"}, message="Fix the crash, #1")
    sha = site.get("/repos/alice/code/branches/main").json["commit"]["id"]
    page = site.browser().get("/alice/code/issues/1")
    assert page.status_code == 200, page.text
    assert lines(page.text)[-4:] == [
        "alice referenced this issue from #2 Follow-up",
        "alice referenced this issue from #2 Follow-up",
        "alice referenced a pull request that will close this issue from #3 The fix",
        f"alice referenced this issue from a commit @{sha[:10]} Fix the crash, #1",
    ]
    assert '<a class="ref" href="/alice/code/issues/2">' in page.text
    assert f'<a class="ref" href="/alice/code/issues/2#issuecomment-{comment["id"]}">' in page.text
    assert '<a class="ref" href="/alice/code/pulls/3">' in page.text
    assert f'<a class="ref" href="/alice/code/commit/{sha}">' in page.text
    # Edited away: hidden from the page (the API still lists it, neutered).
    site.patch("/repos/alice/code/issues/2", {"body": "After nothing"})
    assert "from #2 Follow-up" in " ".join(lines(site.browser().get("/alice/code/issues/1").text))
    site.patch(f"/repos/alice/code/issues/comments/{comment['id']}", {"body": "Gone"})
    text = " ".join(lines(site.browser().get("/alice/code/issues/1").text))
    assert "from #2 Follow-up" not in text


def test_a_commit_closing_an_issue_names_the_commit(site):
    site.post("/repos/alice/code/issues", {"title": "Crash"})
    site.add_files("alice/code", {"fix.txt": b"fixed\n"}, message="Closes #1")
    sha = site.get("/repos/alice/code/branches/main").json["commit"]["id"]
    page = site.browser().get("/alice/code/issues/1").text
    assert lines(page)[-1] == f"alice closed this in commit {sha[:10]}"
    assert '<span class="state closed">Closed</span>' in page


def test_a_private_source_shows_only_to_its_readers(site):
    site.post("/repos/alice/code/issues", {"title": "Crash"})
    secret = site.post("/repos/alice/vault/issues", {"title": "Secret plan",
                                                    "body": "Because of alice/code#1"})
    assert secret.status_code == 201, secret.text
    own = site.browser("alice").get("/alice/code/issues/1").text
    assert "alice referenced this issue from alice/vault#1 Secret plan" in " ".join(lines(own))
    for browser in (site.browser("oscar"), site.browser()):
        page = browser.get("/alice/code/issues/1").text
        assert "Secret plan" not in page and "vault" not in page


def test_the_page_costs_as_many_queries_with_many_references_as_with_one(site):
    site.post("/repos/alice/code/issues", {"title": "Popular"})
    site.post("/repos/alice/code/issues", {"title": "Mention", "body": "#1"})
    browser = site.browser("oscar")
    with recorded_statements(site.ctx.db) as few:
        assert browser.get("/alice/code/issues/1").status_code == 200
    for n in range(3):
        site.post("/repos/alice/code/issues", {"title": f"More {n}", "body": "see #1"})
        site.post("/repos/alice/code/issues/2/comments", {"body": f"#1 again {n}"})
        site.add_files("alice/code", {f"f{n}.txt": b"x\n"}, message=f"Touch #1 ({n})")
    with recorded_statements(site.ctx.db) as many:
        page = browser.get("/alice/code/issues/1")
        assert page.status_code == 200
    assert page.text.count("referenced this issue") == 10
    assert len(many) == len(few), many
