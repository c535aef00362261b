"""A review's line comments and the issue timeline, as Gitea serves them: Gitea stores each line
comment as a comment of type ``code`` (21) with its ``review_id``, but its timeline endpoint
(routers/api/v1/repo/issue_comment.go, ``ListIssueCommentsAndTimeline``) leaves every ``code``
comment out -- a pending review's too -- and shows the review by its ``review`` row (type 22);
clients read the line comments from ``/pulls/{n}/reviews/{id}/comments``. Plue keeps them in
its own table and serves the same timeline and the same total."""

from __future__ import annotations

from tests.plugins.pulls.test_pulls_reviews import ready_pull, reviews_path


def test_line_comments_stay_off_the_timeline_and_the_review_row_names_them(forge):
    pull = ready_pull(forge)
    path = reviews_path(pull["number"])
    review = forge.post(path, {"event": "COMMENT", "body": "two notes", "comments": [
        {"path": "code.py", "body": "why 20?", "new_position": 2},
        {"path": "code.py", "body": "was 2", "old_position": 2}]}).json
    # Another reviewer's pending review: its line comment is nobody else's to see yet.
    forge.post(path, {"event": "PENDING", "body": "draft", "comments": [
        {"path": "code.py", "body": "secret note", "new_position": 4}]}, as_user="root")

    response = forge.get(f"/repos/alice/project/issues/{pull['number']}/timeline")
    assert response.status_code == 200, response.text
    rows = response.json
    assert [row["type"] for row in rows if row["type"] in ("code", "review")] == ["review"]
    assert all("secret note" not in row["body"] and "why 20?" not in row["body"] for row in rows)
    [row] = [row for row in rows if row["type"] == "review"]
    assert row["review_id"] == review["id"] and row["body"] == "two notes"
    assert response.headers["X-Total-Count"] == str(len(rows))
    comments = forge.get(f"{path}/{review['id']}/comments").json
    assert [(c["body"], c["pull_request_review_id"]) for c in comments] == [
        ("why 20?", review["id"]), ("was 2", review["id"])]
