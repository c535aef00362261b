"""The issue and pull request page's timeline: the events the issues service records (labels,
assignees, milestone, title, close, reopen, merge) shown in order between the comments, made
through the API or the page's own forms, escaped, in a fixed number of queries."""

from __future__ import annotations

import re

import pytest

from plue_core.testing import recorded_statements


@pytest.fixture
def writer_site(site):
    assert site.put("/repos/alice/code/collaborators/oscar",
                    {"permission": "write"}).status_code == 204
    return site


def events_text(page: str) -> list[str]:
    """The page's event lines and comment bodies, in order, as plain text."""
    items = re.findall(r'<p class="event"[^>]*>(.*?)</p>|<div class="markdown">(.*?)</div>',
                       page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", event or body).split()) for event, body in items]


def test_changes_show_in_order_between_the_comments(writer_site):
    site = writer_site
    bug = site.post("/repos/alice/code/labels", {"name": "bug", "color": "#ee0701"}).json
    v1 = site.post("/repos/alice/code/milestones", {"title": "v1"}).json
    v2 = site.post("/repos/alice/code/milestones", {"title": "v2"}).json
    site.post("/repos/alice/code/issues", {"title": "Crash", "body": "It crashes"})
    site.post("/repos/alice/code/issues/1/labels", {"labels": [bug["id"]]})
    site.post("/repos/alice/code/issues/1/comments", {"body": "Seen it too"}, as_user="oscar")
    site.patch("/repos/alice/code/issues/1", {"assignees": ["oscar"], "milestone": v1["id"]})
    site.patch("/repos/alice/code/issues/1", {"milestone": v2["id"], "title": "Crash at start"})
    site.post("/repos/alice/code/issues/1/assignees", {"assignees": ["alice"]})
    site.patch("/repos/alice/code/issues/1", {"state": "closed"}, as_user="oscar")
    site.patch("/repos/alice/code/issues/1", {"state": "open", "milestone": 0})
    site.delete(f"/repos/alice/code/issues/1/labels/{bug['id']}")
    page = site.browser().get("/alice/code/issues/1")
    assert page.status_code == 200, page.text
    lines = [re.sub(r" \S+ ago$| just now$", "", line) for line in events_text(page.text)]
    assert lines == [
        "It crashes",
        "alice added the bug label",
        "Seen it too",
        "alice assigned oscar",
        "alice added this to the v1 milestone",
        "alice changed the title from Crash to Crash at start",
        "alice modified the milestone from v1 to v2",
        "alice self-assigned this",
        "oscar closed this",
        "alice removed this from the v2 milestone",  # the edit's fields, then its state
        "alice reopened this",
        "alice removed the bug label",
    ], lines
    assert '<a href="/oscar">oscar</a>' in page.text
    assert re.search(r'<p class="event" id="issuecomment-\d+">', page.text)


def test_the_pages_own_forms_record_their_changes(writer_site):
    site = writer_site
    docs = site.post("/repos/alice/code/labels", {"name": "docs", "color": "#0075ca"}).json
    site.post("/repos/alice/code/issues", {"title": "Guide"})
    browser = site.browser("alice")
    browser.get("/alice/code/issues/1")
    assert browser.post("/alice/code/issues/1/labels",
                        {f"label_{docs['id']}": "1"}).status_code == 303
    browser.get("/alice/code/issues/1")
    assert browser.post("/alice/code/issues/1/title", {"title": "The guide"}).status_code == 303
    browser.get("/alice/code/issues/1")
    assert browser.post("/alice/code/issues/1/comments",
                        {"body": "Done", "action": "close"}).status_code == 303
    text = " | ".join(events_text(browser.get("/alice/code/issues/1").text))
    assert "alice added the docs label" in text
    assert "alice changed the title from Guide to The guide" in text
    assert text.index("Done") < text.index("alice closed this")
    kinds = [row["type"] for row in site.get("/repos/alice/code/issues/1/timeline").json]
    assert kinds == ["label", "change_title", "comment", "close"]


def test_titles_in_events_are_escaped(site):
    site.post("/repos/alice/code/issues", {"title": "Plain"})
    site.patch("/repos/alice/code/issues/1", {"title": "<script>alert(1)</script>"})
    page = site.browser().get("/alice/code/issues/1").text
    assert "<ins><script>" not in page
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page


def test_a_merged_pull_request_shows_merged_not_closed(writer_site):
    site = writer_site
    pull = site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                 "title": "Add the feature"})
    assert pull.status_code == 201, pull.text
    number = pull.json["number"]
    merged = site.post(f"/repos/alice/code/pulls/{number}/merge", {"Do": "merge"})
    assert merged.status_code == 200, merged.text
    page = site.browser().get(f"/alice/code/pulls/{number}")
    assert page.status_code == 200, page.text
    text = " | ".join(events_text(page.text))
    assert "alice merged this" in text and "closed this" not in text
    rows = site.get(f"/repos/alice/code/issues/{number}/timeline").json
    # The merge commit names the pull request ("(#N)"): a reference from it, as in Gitea.
    assert [row["type"] for row in rows] == ["merge_pull", "commit_ref"]
    assert rows[0]["issue_url"] == "" and rows[0]["pull_request_url"].endswith(f"/pulls/{number}")


def test_the_page_costs_as_many_queries_with_many_events_as_with_one(writer_site):
    site = writer_site
    labels = [site.post("/repos/alice/code/labels", {"name": f"l{n}", "color": "#ee0701"}).json
              for n in range(3)]
    milestones = [site.post("/repos/alice/code/milestones", {"title": f"m{n}"}).json
                  for n in range(3)]
    site.post("/repos/alice/code/issues", {"title": "Busy"})
    site.patch("/repos/alice/code/issues/1", {"milestone": milestones[0]["id"]})
    browser = site.browser("oscar")
    with recorded_statements(site.ctx.db) as few:
        assert browser.get("/alice/code/issues/1").status_code == 200
    for n in range(3):
        site.post("/repos/alice/code/issues/1/labels", {"labels": [labels[n]["id"]]})
        site.patch("/repos/alice/code/issues/1", {"milestone": milestones[n]["id"],
                                                  "assignees": ["oscar"] if n % 2 else ["alice"],
                                                  "title": f"Busy {n}"})
        site.patch("/repos/alice/code/issues/1", {"state": "closed"})
        site.patch("/repos/alice/code/issues/1", {"state": "open"})
        site.post("/repos/alice/code/issues/1/comments", {"body": f"note {n}"})
    with recorded_statements(site.ctx.db) as many:
        page = browser.get("/alice/code/issues/1")
        assert page.status_code == 200
    assert page.text.count('class="event"') == 20
    assert len(many) == len(few), many


def test_pins_and_dependencies_show_on_the_page(site):
    for title in ("Crash", "Blocker"):
        site.post("/repos/alice/code/issues", {"title": title})
    assert site.post("/repos/alice/code/issues/1/pin").status_code == 204
    assert site.delete("/repos/alice/code/issues/1/pin").status_code == 204
    blocker = {"owner": "alice", "repo": "code", "index": 2}
    assert site.post("/repos/alice/code/issues/1/dependencies", blocker).status_code == 201
    assert site.delete("/repos/alice/code/issues/1/dependencies", blocker).status_code == 201
    page = site.browser().get("/alice/code/issues/1")
    lines = [re.sub(r" \S+ ago$| just now$", "", line) for line in events_text(page.text)]
    assert lines == ["No description.", "alice pinned this", "alice unpinned this",
                     "alice added a dependency",
                     "alice removed a dependency"], lines
