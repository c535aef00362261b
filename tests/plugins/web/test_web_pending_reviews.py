"""Pending reviews on the files tab: "Start a review" keeps line comments on the viewer's
pending review (seen by the viewer alone, marked Pending), and the review form submits them
all as one review; "Add single comment" still makes a one-comment review at once."""

from __future__ import annotations

import pytest


@pytest.fixture
def pull(site):
    response = site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                     "title": "Add the feature"})
    assert response.status_code == 201, response.text
    return response.json["number"]


def _comment(browser, number, body, mode="review"):
    browser.get(f"/alice/code/pulls/{number}/files")
    fields = {"path": "feature.txt", "line": "1", "side": "proposed", "content": body}
    if mode is not None:
        fields["mode"] = mode
    return browser.post(f"/alice/code/pulls/{number}/files/reviews/comments", fields)


def test_line_comments_wait_on_a_pending_review_then_go_as_one(site, pull):
    oscar = site.browser("oscar")
    form = oscar.get(f"/alice/code/pulls/{pull}/files?path=feature.txt&line=1&side=proposed")
    assert 'name="mode" value="review" class="primary">Start a review</button>' in form.text
    assert _comment(oscar, pull, "First thought").status_code == 303
    assert _comment(oscar, pull, "Second thought").status_code == 303
    # The reviewer sees them, pending; nobody else does, through the page or the API.
    mine = oscar.get(f"/alice/code/pulls/{pull}/files?path=feature.txt&line=1&side=proposed").text
    assert mine.count('<span class="badge">Pending</span>') == 2
    assert "Your pending review has 2 comments" in mine
    assert ">Add review comment</button>" in mine
    others = site.browser("alice").get(f"/alice/code/pulls/{pull}/files").text
    assert "First thought" not in others and "Pending" not in others
    assert site.get(f"/repos/alice/code/pulls/{pull}/reviews").json == []
    [pending] = site.get(f"/repos/alice/code/pulls/{pull}/reviews", as_user="oscar").json
    assert pending["state"] == "PENDING" and pending["comments_count"] == 2
    # Submitted without a summary: the comments are what a "comment" review needs.
    oscar.get(f"/alice/code/pulls/{pull}/files")
    result = oscar.post(f"/alice/code/pulls/{pull}/files/reviews/submit",
                        {"type": "comment", "content": ""})
    assert result.status_code == 303, result.text
    [review] = site.get(f"/repos/alice/code/pulls/{pull}/reviews").json
    assert review["id"] == pending["id"] and review["state"] == "COMMENT"
    assert review["comments_count"] == 2
    page = site.browser().get(f"/alice/code/pulls/{pull}/files").text
    assert "First thought" in page and "Second thought" in page and "Pending" not in page


def test_a_pending_review_can_be_submitted_as_an_approval(site, pull):
    oscar = site.browser("oscar")
    _comment(oscar, pull, "Looks right")
    oscar.get(f"/alice/code/pulls/{pull}/files")
    assert oscar.post(f"/alice/code/pulls/{pull}/files/reviews/submit",
                      {"type": "approve", "content": ""}).status_code == 303
    [review] = site.get(f"/repos/alice/code/pulls/{pull}/reviews").json
    assert review["state"] == "APPROVED" and review["comments_count"] == 1


def test_a_single_comment_is_a_review_of_its_own_unless_one_is_pending(site, pull):
    oscar = site.browser("oscar")
    assert _comment(oscar, pull, "At once", mode=None).status_code == 303  # the default
    assert [(r["state"], r["comments_count"]) for r in
            site.get(f"/repos/alice/code/pulls/{pull}/reviews").json] == [("COMMENT", 1)]
    assert _comment(oscar, pull, "Pending one").status_code == 303
    form = oscar.get(f"/alice/code/pulls/{pull}/files?path=feature.txt&line=1&side=proposed")
    assert ">Add single comment</button>" not in form.text  # Gitea offers only adding to it
    # Posted anyway, it submits the pending review with it (the API's rule).
    assert _comment(oscar, pull, "Right away", mode="single").status_code == 303
    reviews = site.get(f"/repos/alice/code/pulls/{pull}/reviews").json
    assert [(r["state"], r["comments_count"]) for r in reviews] == [("COMMENT", 1),
                                                                     ("COMMENT", 2)]


def test_bad_modes_and_lines_change_nothing(site, pull):
    oscar = site.browser("oscar")
    assert _comment(oscar, pull, "x", mode="later").status_code == 422
    oscar.get(f"/alice/code/pulls/{pull}/files")
    refused = oscar.post(f"/alice/code/pulls/{pull}/files/reviews/comments",
                         {"path": "README.md", "line": "1", "side": "proposed", "content": "x",
                          "mode": "review"})
    assert refused.status_code == 422 and "is not changed by pull request" in refused.text
    assert site.get(f"/repos/alice/code/pulls/{pull}/reviews", as_user="oscar").json == []
