"""The signed-in front page: recent activity in your repositories (issues and pull requests
opened, comments, each branch's last push — read from what the services record), your open
pull requests and the pull requests awaiting your review; nothing from repositories you may
not see; a fixed number of queries."""

from __future__ import annotations

from plue_core.testing import recorded_statements


def _activity(site):
    site.put("/repos/alice/code/collaborators/oscar", {"permission": "write"})
    assert site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                 "title": "Add the feature"}).status_code == 201
    assert site.post("/repos/alice/code/pulls/1/requested_reviewers",
                     {"reviewers": ["oscar"]}).status_code == 201
    site.post("/repos/alice/code/issues", {"title": "It breaks"}, as_user="oscar")
    site.post("/repos/alice/code/issues/2/comments", {"body": "Looking"})
    site.post("/repos/alice/vault/issues", {"title": "Secret plan"})


def test_the_feed_shows_what_happened_in_your_repositories(site):
    _activity(site)
    page = site.browser("alice").get("/").text
    assert 'opened pull request <a href="/alice/code">alice/code</a>: ' \
           '<a href="/alice/code/pulls/1">#1 Add the feature</a>' in page
    assert '<a href="/oscar">oscar</a> opened issue' in page
    assert "commented on" in page and '/alice/code/issues/2#issuecomment-' in page
    assert "pushed to feature/x at" in page and "Work on the feature" in page
    assert "Secret plan" in page  # alice's own private repository


def test_the_feed_leaves_out_repositories_you_do_not_reach(site):
    _activity(site)
    oscar = site.browser("oscar").get("/").text  # a collaborator of alice/code, not of vault
    assert "It breaks" in oscar and "Secret plan" not in oscar
    stranger = site.browser("root").get("/").text  # sees everything, reaches none of it
    assert "It breaks" not in stranger and "Nothing has happened" in stranger


def test_your_pull_requests_and_review_requests(site):
    _activity(site)
    alice = site.browser("alice").get("/").text
    mine = alice.split('id="pulls-title"')[1].split('id="reviews-title"')[0]
    assert "Add the feature" in mine
    oscar = site.browser("oscar").get("/").text
    reviews = oscar.split('id="reviews-title"')[1].split('id="repos-title"')[0]
    assert '<a href="/alice/code/pulls/1">Add the feature</a>' in reviews and "by alice" in reviews
    assert "Add the feature" not in oscar.split('id="pulls-title"')[1].split('id="reviews-title"')[0]
    # A pull request closed leaves both lists.
    site.patch("/repos/alice/code/pulls/1", {"state": "closed"})
    assert "None." in site.browser("oscar").get("/").text.split('id="reviews-title"')[1]


def test_the_front_page_costs_a_fixed_number_of_queries(site):
    _activity(site)
    browser = site.browser("oscar")
    with recorded_statements(site.ctx.db) as few:
        assert browser.get("/").status_code == 200
    for number in range(5):
        site.post("/repos/alice/code/issues", {"title": f"More {number}"})
        site.post("/repos/alice/code/issues/2/comments", {"body": f"comment {number}"})
        site.post("/repos/alice/code/branches", {"new_branch_name": f"b{number}"})
    with recorded_statements(site.ctx.db) as many:
        assert browser.get("/").status_code == 200
    # The session, the repositories (count, page), the viewer's organizations (three times:
    # the list, the feed's scope and the pull requests' — once each, 13 when "mine" asked
    # twice), the feed's three lists, the two pull request lists; the header's unread
    # notifications.
    assert len(many) == len(few) <= 12, (len(many), many)
