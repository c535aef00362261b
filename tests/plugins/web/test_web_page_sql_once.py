"""The issue page and a pull request's conversation (issue 15, p50 ≤ 30 ms; bench/web_pages.py
measures it): a fixed number of statements whatever the timeline holds, each one's SQL
compiled once per process (peewee built the timeline's eleven-table join on every visit), and
a Markdown text rendered once per text and links."""

from __future__ import annotations

import peewee
import pytest

from plue_core.testing import recorded_statements
from plue_web.markdown import CACHED_TEXT_CHARACTERS, MarkdownRenderer


@pytest.fixture
def built(monkeypatch):
    """The statements whose SQL peewee builds while the test runs (a compiled one is not)."""
    calls = []
    original = peewee.Database.get_sql_context

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(peewee.Database, "get_sql_context", counting)
    return calls


def _grow_the_timeline(site, number: int, rounds: int) -> None:
    """Comments, label events, milestone, assignee and title changes, and a reference."""
    for index in range(rounds):
        label = site.post("/repos/alice/code/labels",
                          {"name": f"kind-{number}-{index}", "color": "#ee0701"}).json
        milestone = site.post("/repos/alice/code/milestones",
                              {"title": f"v{number}.{index}"}).json
        site.post(f"/repos/alice/code/issues/{number}/labels", {"labels": [label["id"]]})
        site.patch(f"/repos/alice/code/issues/{number}",
                   {"milestone": milestone["id"], "assignees": ["alice"],
                    "title": f"Renamed {index}"})
        site.post(f"/repos/alice/code/issues/{number}/comments",
                  {"body": f"Comment **{index}**, see #{number}"})
        reference = site.post("/repos/alice/code/issues", {"title": f"Refs #{number}"}).json
        site.post(f"/repos/alice/code/issues/{reference['number']}/comments",
                  {"body": f"About #{number}"})


def _visit(site, browser, path: str, built: list) -> tuple[list, str]:
    browser.get(path)  # warm: the compiled queries, the rendered Markdown
    built.clear()
    with recorded_statements(site.ctx.db) as statements:
        page = browser.get(path)
    assert page.status_code == 200
    return statements, page.text


def test_an_issue_page_sends_the_same_statements_for_a_long_timeline(site, built):
    number = site.post("/repos/alice/code/issues", {"title": "Bug", "body": "A **bug**"}).json[
        "number"]
    _grow_the_timeline(site, number, 1)
    browser = site.browser("alice")  # a writer: the edit forms' choices too
    few, page = _visit(site, browser, f"/alice/code/issues/{number}", built)
    assert "Renamed 0" in page and "kind-1-0" in page and "<strong>0</strong>" in page
    _grow_the_timeline(site, number, 6)
    many, page = _visit(site, browser, f"/alice/code/issues/{number}", built)
    assert "kind-1-5" in page and "<strong>5</strong>" in page and "Renamed 5" in page
    # The session, the repository, the issue, its timeline, labels, assignees, milestone
    # and its counts; the choices of labels, milestones and assignees; the header's unread
    # notifications.
    assert len(many) == len(few) == 12, many
    assert built == [], len(built)  # no statement's SQL built again


def test_a_pull_requests_conversation_sends_the_same_statements_for_more_reviews(site, built):
    assert site.put("/repos/alice/code/collaborators/oscar",
                    {"permission": "write"}).status_code == 204
    number = site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                   "title": "Add the feature"}).json["number"]

    def review(index):
        assert site.post(f"/repos/alice/code/pulls/{number}/reviews", {
            "event": "COMMENT", "body": f"Review **{index}**",
            "comments": [{"path": "feature.txt", "new_position": 1, "body": f"line {index}"}]},
            as_user="oscar").status_code == 200

    review(0)
    _grow_the_timeline(site, number, 1)
    browser = site.browser("alice")
    path = f"/alice/code/pulls/{number}"
    few, page = _visit(site, browser, path, built)
    assert "Review <strong>0</strong>" in page and "line 0" in page
    for index in range(1, 5):
        review(index)
    _grow_the_timeline(site, number, 3)
    many, page = _visit(site, browser, path, built)
    assert "Review <strong>4</strong>" in page and "line 4" in page
    # The issue page's, the pull request, its reviews with their reviewers and line comments,
    # whether it is merged.
    assert len(many) == len(few) == 16, many
    assert built == [], len(built)


def test_a_markdown_text_is_rendered_once_per_text_and_links(monkeypatch):
    renderer = MarkdownRenderer()
    calls = []
    original = renderer.md.render

    def counting(text, env=None):
        calls.append(text)
        return original(text, env)

    monkeypatch.setattr(renderer.md, "render", counting)
    first = renderer.render("See #3 and **this**", repository_url="/alice/code")
    assert 'href="/alice/code/issues/3"' in first and "<strong>this</strong>" in first
    assert renderer.render("See #3 and **this**", repository_url="/alice/code") == first
    assert len(calls) == 1
    other = renderer.render("See #3 and **this**", repository_url="/bob/tools")
    assert 'href="/bob/tools/issues/3"' in other and len(calls) == 2
    long = "word " * (CACHED_TEXT_CHARACTERS // 5 + 1)
    assert renderer.render(long) == renderer.render(long) and len(calls) == 4  # not kept
