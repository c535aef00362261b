"""``GET /repos/issues/search`` (Gitea's issueSearchIssues): the issues and pull requests of
the repositories the caller may read -- a private one's never shown to others, a unit that is
off hides its rows -- with Gitea's filters, newest first, paged; and a page costs the same
statements whether it spans one repository or many (counted, as
tests/core/test_hot_path_query_counts.py counts)."""

from __future__ import annotations

import base64

from plue_core.testing import recorded_statements

from test_issues_closed_by_merge import open_pull

SEARCH = "/repos/issues/search"


def found(tracker, as_user="alice", **params) -> list[tuple[str, int]]:
    response = tracker.get(SEARCH, as_user=as_user, params=params)
    assert response.status_code == 200, response.text
    return [(body["repository"]["full_name"], body["number"]) for body in response.json]


def test_only_readable_repositories_are_searched(tracker):
    tracker.issue(title="public one")
    tracker.issue(repo="alice/vault", title="secret one")
    tracker.issue(repo="acme/site", title="org one")
    everything = [("acme/site", 1), ("alice/vault", 1), ("alice/tracker", 1)]
    assert found(tracker) == everything  # newest first
    assert found(tracker, as_user="rita") == everything  # she reads the vault
    assert found(tracker, as_user="oscar") == [("acme/site", 1), ("alice/tracker", 1)]
    assert found(tracker, as_user=None) == [("acme/site", 1), ("alice/tracker", 1)]
    assert found(tracker, as_user="root") == everything
    # A unit switched off hides its issues.
    assert tracker.patch("/repos/alice/tracker", {"has_issues": False}).status_code == 200
    assert found(tracker, as_user=None) == [("acme/site", 1)]


def test_the_filters(tracker):
    bug = tracker.label(name="bug")["id"]
    tracker.milestone(title="v1")
    tracker.issue(title="crash on start", labels=[bug], milestone=1, assignees=["wanda"])
    tracker.issue(title="typo", body="ping @rita", as_user="wanda")
    tracker.issue(repo="alice/vault", title="crash in vault")
    tracker.comment(2, "this crash too?", as_user="rita")
    pull = open_pull(tracker, "a change")
    assert tracker.patch("/repos/alice/tracker/issues/2", {"state": "closed"}).status_code == 201
    assert found(tracker, q="crash", state="all") == [("alice/vault", 1), ("alice/tracker", 2),
                                                      ("alice/tracker", 1)]  # a comment's too
    assert found(tracker, q="crash") == [("alice/vault", 1), ("alice/tracker", 1)]  # open
    assert found(tracker, state="closed") == [("alice/tracker", 2)]
    assert found(tracker, type="pulls") == [("alice/tracker", pull)]
    assert ("alice/tracker", pull) not in found(tracker, type="issues")
    assert found(tracker, labels="bug") == [("alice/tracker", 1)]
    assert found(tracker, labels="bug,nope") == []
    assert found(tracker, milestones="v1") == [("alice/tracker", 1)]
    assert found(tracker, owner="alice", type="issues") == [("alice/vault", 1),
                                                            ("alice/tracker", 1)]
    assert found(tracker, owner="acme") == []
    assert tracker.get(SEARCH, params={"owner": "nobody"}).status_code == 400
    assert found(tracker, as_user="wanda", assigned="true") == [("alice/tracker", 1)]
    assert found(tracker, as_user="wanda", created="true", state="all") == [("alice/tracker", 2)]
    assert found(tracker, as_user="rita", mentioned="1", state="all") == [("alice/tracker", 2)]
    assert found(tracker, as_user=None, assigned="true") == found(tracker, as_user=None)
    assert tracker.get(SEARCH, params={"since": "yesterday"}).status_code == 422
    listed = tracker.get(SEARCH, params={"limit": 1, "page": 2})
    assert listed.headers["X-Total-Count"] == "3" and len(listed.json) == 1


def pull_in(tracker, repo: str) -> None:
    made = tracker.post(f"/repos/{repo}/contents/fix.txt", {
        "content": base64.b64encode(b"x\n").decode(), "message": "Work", "new_branch": "fix"})
    assert made.status_code == 201, made.text
    made = tracker.post(f"/repos/{repo}/pulls", {"title": "Fix", "head": "fix", "base": "main"})
    assert made.status_code == 201, made.text


def test_a_page_costs_the_same_statements_over_one_repository_or_many(tracker):
    def statements() -> list[str]:
        with recorded_statements(tracker.ctx.db, without_token_touches=True) as sent:
            response = tracker.get(SEARCH, params={"state": "all", "limit": 50})
        assert response.status_code == 200, response.text
        return sent

    label = tracker.label(name="bug")["id"]
    tracker.milestone(title="v1")
    tracker.issue(title="one", labels=[label], milestone=1, assignees=["wanda"])
    open_pull(tracker, "a change")
    statements()  # compiled queries prepared once
    few = statements()
    for repo in ("alice/vault", "acme/site"):
        milestone = tracker.milestone(repo=repo, title="v1")["id"]
        labelled = tracker.label(repo=repo, name="bug")["id"]
        for n in range(3):
            tracker.issue(repo=repo, title=f"more {n}", labels=[labelled], milestone=milestone,
                          assignees=["alice"])
    pull_in(tracker, "alice/vault")
    many = statements()
    assert len(many) == len(few), "\n".join(many)
