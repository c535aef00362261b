"""Reactions to issues and comments, as Gitea's API serves them: 201 new, 200 already there,
204 removed, the instance's allowed list, locked issues, who may see and change them."""

from __future__ import annotations

import falcon.testing

from plue_core.testing import basic_auth, make_user
from plue_issues.models import Issue

ISSUE = "/repos/alice/tracker/issues/{}/reactions"
COMMENT = "/repos/alice/tracker/issues/comments/{}/reactions"


def _contents(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.text
    return [(reaction["user"]["login"], reaction["content"]) for reaction in response.json]


def test_add_list_and_remove_an_issue_reaction(tracker):
    number = tracker.issue()["number"]
    path = ISSUE.format(number)
    created = tracker.post(path, {"content": "heart"}, as_user="rita")
    assert created.status_code == 201, created.text
    assert set(created.json) == {"user", "content", "created_at"}
    assert created.json["user"]["login"] == "rita" and created.json["content"] == "heart"
    again = tracker.post(path, {"content": "heart"}, as_user="rita")
    assert again.status_code == 200 and again.json == created.json
    assert tracker.post(path, {"content": "+1"}).status_code == 201
    assert _contents(tracker.get(path, as_user=None)) == [("rita", "heart"), ("alice", "+1")]
    paged = tracker.get(path, params={"limit": "1"})
    assert len(paged.json) == 1 and paged.headers["X-Total-Count"] == "2"
    assert tracker.delete(path, {"content": "heart"}, as_user="rita").status_code == 204
    assert tracker.delete(path, {"content": "heart"}, as_user="rita").status_code == 204
    assert _contents(tracker.get(path)) == [("alice", "+1")]


def test_comment_reactions_are_the_comments_own(tracker):
    number = tracker.issue()["number"]
    comment = tracker.comment(number)
    path = COMMENT.format(comment["id"])
    assert tracker.get(path).json == []
    assert tracker.post(path, {"content": "rocket"}, as_user="oscar").status_code == 201
    assert _contents(tracker.get(path)) == [("oscar", "rocket")]
    assert tracker.get(ISSUE.format(number)).json == []
    assert tracker.delete(path, {"content": "rocket"}, as_user="oscar").status_code == 204
    assert tracker.get(path).json == []


def test_a_deleted_comment_takes_its_reactions(tracker):
    number = tracker.issue()["number"]
    comment = tracker.comment(number)
    assert tracker.post(COMMENT.format(comment["id"]), {"content": "eyes"}).status_code == 201
    assert tracker.delete(f"/repos/alice/tracker/issues/comments/{comment['id']}").status_code == 204
    assert tracker.get(COMMENT.format(comment["id"])).status_code == 404


def test_only_the_allowed_reactions(tracker):
    path = ISSUE.format(tracker.issue()["number"])
    refused = tracker.post(path, {"content": "tada"})
    assert refused.status_code == 403 and "tada" in refused.json["message"]
    assert tracker.post(path, {}).status_code == 422
    assert tracker.post(path, {"content": 3}).status_code == 422


def test_the_allowed_reactions_are_the_instances_setting(build_app):
    app = build_app(issues={"reactions": "tada,+1"})  # as PLUE_ISSUES__REACTIONS arrives
    make_user(app.plue, "alice")
    client, alice = falcon.testing.TestClient(app), basic_auth("alice")
    assert client.simulate_post("/api/v1/user/repos", json={"name": "tracker"},
                                headers=alice).status_code == 201
    assert client.simulate_post("/api/v1/repos/alice/tracker/issues", json={"title": "t"},
                                headers=alice).status_code == 201
    path = "/api/v1" + ISSUE.format(1)
    assert client.simulate_post(path, json={"content": "tada"}, headers=alice).status_code == 201
    assert client.simulate_post(path, json={"content": "heart"}, headers=alice).status_code == 403


def test_a_locked_issue_takes_reactions_from_writers_only(tracker):
    number = tracker.issue()["number"]
    comment = tracker.comment(number)
    Issue.update(is_locked=True).where(Issue.number == number).execute()
    for path in (ISSUE.format(number), COMMENT.format(comment["id"])):
        assert tracker.post(path, {"content": "+1"}, as_user="rita").status_code == 403
        assert tracker.delete(path, {"content": "+1"}, as_user="rita").status_code == 403
        assert tracker.post(path, {"content": "+1"}, as_user="wanda").status_code == 201


def test_who_may_see_and_react(tracker):
    number = tracker.issue("alice/vault")["number"]
    path = f"/repos/alice/vault/issues/{number}/reactions"
    assert tracker.get(path, as_user="oscar").status_code == 404
    assert tracker.post(path, {"content": "+1"}, as_user="oscar").status_code == 404
    assert tracker.post(path, {"content": "+1"}, as_user=None).status_code == 404
    public = ISSUE.format(tracker.issue()["number"])
    assert tracker.post(public, {"content": "+1"}, as_user=None).status_code == 401
    assert tracker.post(path, {"content": "+1"}, as_user="rita").status_code == 201
    assert tracker.get("/repos/alice/tracker/issues/999/reactions").status_code == 404
    vault_comment = tracker.comment(number, repo="alice/vault")
    # A comment of another repository is not this one's.
    assert tracker.get(COMMENT.format(vault_comment["id"])).status_code == 404


def test_a_user_removed_takes_their_reactions(tracker):
    path = ISSUE.format(tracker.issue()["number"])
    assert tracker.post(path, {"content": "+1"}, as_user="oscar").status_code == 201
    assert tracker.delete("/admin/users/oscar", as_user="root").status_code == 204
    assert tracker.get(path).json == []
