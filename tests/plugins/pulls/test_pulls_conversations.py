"""A review's line comments as Gitea's conversations: resolve, unresolve, reply."""

from __future__ import annotations

from plue_core.db import connection

from plue_issues.models import Issue

COMMENTS = "/repos/alice/project/pulls/comments"


def commented_pull(forge) -> tuple[dict, dict]:
    """rita (a reader) opens wanda's branch as a pull request; alice comments on a line."""
    forge.commit("alice/project", "main", {"code.py": "a = 1\nb = 2\n"})
    forge.commit("alice/project", "main", {"code.py": "a = 1\nb = 20\n"}, new_branch="feature",
                 as_user="wanda")
    pull = forge.open_pull(as_user="rita")
    review = forge.post(f"/repos/alice/project/pulls/{pull['number']}/reviews", {
        "event": "COMMENT", "comments": [{"path": "code.py", "body": "why?", "new_position": 2}]})
    assert review.status_code == 200, review.text
    [comment] = forge.get(f"/repos/alice/project/pulls/{pull['number']}/reviews/"
                          f"{review.json['id']}/comments").json
    return pull, comment


def resolver_of(forge, pull, comment):
    comments = forge.get(f"/repos/alice/project/pulls/{pull['number']}/reviews/"
                         f"{comment['pull_request_review_id']}/comments").json
    resolver = next(c for c in comments if c["id"] == comment["id"])["resolver"]
    return resolver and resolver["login"]


def test_the_poster_and_writers_resolve_and_unresolve_others_may_not(forge):
    pull, comment = commented_pull(forge)
    resolve, unresolve = f"{COMMENTS}/{comment['id']}/resolve", f"{COMMENTS}/{comment['id']}/unresolve"
    assert comment["resolver"] is None

    refused = forge.post(resolve, as_user="oscar")  # reads the public repository, no more
    assert (refused.status_code, refused.json["message"]) == (
        403, "user should have permission to resolve comment")
    assert forge.post(resolve, as_user="rita").status_code == 204  # the pull's poster
    assert resolver_of(forge, pull, comment) == "rita"
    assert forge.post(resolve, as_user="wanda").status_code == 204  # already resolved: kept
    assert resolver_of(forge, pull, comment) == "rita"
    assert forge.post(unresolve, as_user="oscar").status_code == 403
    assert forge.post(unresolve, as_user="wanda").status_code == 204  # a writer
    assert resolver_of(forge, pull, comment) is None
    assert forge.post(unresolve).status_code == 204

    assert forge.post(f"{COMMENTS}/999/resolve").status_code == 404
    assert forge.post(resolve, as_user=None).status_code == 401
    assert forge.post(f"/repos/alice/secret/pulls/comments/{comment['id']}/resolve").status_code == 404


def test_a_pending_reviews_comment_is_only_its_reviewers(forge):
    pull, _ = commented_pull(forge)
    pending = forge.post(f"/repos/alice/project/pulls/{pull['number']}/reviews", {
        "event": "PENDING", "body": "draft",
        "comments": [{"path": "code.py", "body": "hmm", "new_position": 1}]}, as_user="wanda")
    assert pending.status_code == 200, pending.text
    [draft] = forge.get(f"/repos/alice/project/pulls/{pull['number']}/reviews/"
                        f"{pending.json['id']}/comments", as_user="wanda").json
    assert forge.post(f"{COMMENTS}/{draft['id']}/resolve", as_user="rita").status_code == 404
    assert forge.post(f"{COMMENTS}/{draft['id']}/resolve", as_user="wanda").status_code == 204


def test_a_reply_joins_the_comments_review_at_its_line(forge):
    pull, comment = commented_pull(forge)
    replies = f"/repos/alice/project/pulls/{pull['number']}/comments/{comment['id']}/replies"
    response = forge.post(replies, {"body": "because"}, as_user="oscar")
    assert response.status_code == 201, response.text
    reply = response.json
    same = ("pull_request_review_id", "path", "position", "original_position", "diff_hunk",
            "commit_id", "original_commit_id", "pull_request_url")
    assert {key: reply[key] for key in same} == {key: comment[key] for key in same}
    assert (reply["body"], reply["user"]["login"], reply["resolver"]) == ("because", "oscar", None)
    assert reply["id"] != comment["id"]
    listed = forge.get(f"/repos/alice/project/pulls/{pull['number']}/reviews/"
                       f"{comment['pull_request_review_id']}/comments").json
    assert [c["body"] for c in listed] == ["why?", "because"]

    assert forge.post(replies, {"body": "  "}).status_code == 422
    assert forge.post(replies, {"body": "x"}, as_user=None).status_code == 401
    other = forge.post(f"/repos/alice/project/pulls/{pull['number'] + 1}/comments/"
                       f"{comment['id']}/replies", {"body": "x"})
    assert other.status_code == 404
    assert forge.post(f"/repos/alice/project/pulls/{pull['number']}/comments/999/replies",
                      {"body": "x"}).status_code == 404

    with connection(forge.ctx.db):
        Issue.update(is_locked=True).where((Issue.repository == pull["base"]["repo"]["id"])
                                           & (Issue.number == pull["number"])).execute()
    assert forge.post(replies, {"body": "x"}, as_user="oscar").status_code == 403
    assert forge.post(replies, {"body": "x"}, as_user="wanda").status_code == 201
