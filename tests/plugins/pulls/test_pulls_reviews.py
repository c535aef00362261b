"""Reviews and line comments with Gitea's rules."""

from __future__ import annotations


def reviews_path(number: int) -> str:
    return f"/repos/alice/project/pulls/{number}/reviews"


def ready_pull(forge) -> dict:
    forge.commit("alice/project", "main", {"code.py": "a = 1\nb = 2\nc = 3\n"})
    forge.commit("alice/project", "main", {"code.py": "a = 1\nb = 20\nc = 3\nd = 4\n"},
                 new_branch="feature", as_user="wanda")
    return forge.open_pull(as_user="wanda")


def test_an_approval_by_a_writer_is_official_and_returned_with_200(forge):
    pull = ready_pull(forge)
    response = forge.post(reviews_path(pull["number"]), {"event": "APPROVED", "body": "LGTM"})
    assert response.status_code == 200, response.text
    review = response.json
    assert review["state"] == "APPROVED" and review["official"] is True and review["stale"] is False
    assert review["user"]["login"] == "alice" and review["commit_id"] == pull["head"]["sha"]
    assert review["pull_request_url"] == pull["html_url"] and review["dismissed"] is False
    assert review["comments_count"] == 0 and review["submitted_at"]
    [event] = forge.recorder.of("pull_request_review")
    assert event.state == "APPROVED" and event.reviewer == "alice"
    listed = forge.get(reviews_path(pull["number"]))
    assert [r["id"] for r in listed.json] == [review["id"]] and listed.headers["X-Total-Count"] == "1"
    assert forge.get(f"{reviews_path(pull['number'])}/{review['id']}").json["body"] == "LGTM"


def test_a_reader_may_review_but_not_officially(forge):
    pull = ready_pull(forge)
    review = forge.post(reviews_path(pull["number"]), {"event": "APPROVED"}, as_user="rita").json
    assert review["state"] == "APPROVED" and review["official"] is False


def test_gitea_refuses_approving_your_own_and_empty_reviews(forge):
    pull = ready_pull(forge)
    path = reviews_path(pull["number"])
    own = forge.post(path, {"event": "APPROVED"}, as_user="wanda")
    assert own.status_code == 422 and own.json["message"] == "approve your own pull is not allowed"
    reject_own = forge.post(path, {"event": "REQUEST_CHANGES", "body": "x"}, as_user="wanda")
    assert reject_own.status_code == 422
    no_body = forge.post(path, {"event": "REQUEST_CHANGES"})
    assert no_body.status_code == 422 and "requires a body" in no_body.json["message"]
    empty_comment = forge.post(path, {"event": "COMMENT"})
    assert empty_comment.status_code == 422 and "body or a comment" in empty_comment.json["message"]
    assert forge.post(path, {"event": "APPROVED"}, as_user=None).status_code == 401
    assert forge.post("/repos/alice/project/pulls/99/reviews", {"event": "APPROVED"}).status_code == 404


def test_line_comments_carry_position_hunk_and_commit(forge):
    pull = ready_pull(forge)
    review = forge.post(reviews_path(pull["number"]), {
        "event": "COMMENT", "body": "",
        "comments": [{"path": "code.py", "body": "why 20?", "new_position": 2},
                     {"path": "code.py", "body": "was 2", "old_position": 2}]})
    assert review.status_code == 200, review.text
    assert review.json["comments_count"] == 2
    comments = forge.get(f"{reviews_path(pull['number'])}/{review.json['id']}/comments").json
    new_side, old_side = comments
    assert (new_side["position"], new_side["original_position"]) == (2, 0)
    assert (old_side["position"], old_side["original_position"]) == (0, 2)
    assert new_side["path"] == "code.py" and new_side["body"] == "why 20?"
    assert new_side["commit_id"] == pull["head"]["sha"] and new_side["user"]["login"] == "alice"
    assert new_side["pull_request_review_id"] == review.json["id"]
    assert new_side["diff_hunk"].startswith("@@ ") and new_side["diff_hunk"].endswith("+b = 20")
    assert old_side["diff_hunk"].endswith("-b = 2")
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}").json["review_comments"] == 2


def test_line_comments_must_name_a_changed_file_and_a_line(forge):
    pull = ready_pull(forge)
    path = reviews_path(pull["number"])
    elsewhere = forge.post(path, {"event": "COMMENT", "comments": [{"path": "README.md", "body": "x", "new_position": 1}]})
    assert elsewhere.status_code == 422 and "README.md" in elsewhere.json["message"]
    no_line = forge.post(path, {"event": "COMMENT", "comments": [{"path": "code.py", "body": "x"}]})
    assert no_line.status_code == 422 and "new_position" in no_line.json["message"]
    no_path = forge.post(path, {"event": "COMMENT", "comments": [{"body": "x", "new_position": 1}]})
    assert no_path.status_code == 422 and "path" in no_path.json["message"]


def test_a_pending_review_is_private_until_submitted(forge):
    pull = ready_pull(forge)
    path = reviews_path(pull["number"])
    no_body = forge.post(path, {"event": "PENDING"})
    assert no_body.status_code == 422  # Gitea: a pending review needs a body too
    pending = forge.post(path, {"event": "PENDING", "body": "thinking",
                                "comments": [{"path": "code.py", "body": "hmm", "new_position": 4}]}).json
    assert pending["state"] == "PENDING" and pending["official"] is False
    assert forge.get(path, as_user="rita").json == []
    assert forge.get(f"{path}/{pending['id']}", as_user="rita").status_code == 404
    assert [r["id"] for r in forge.get(path, as_user="root").json] == [pending["id"]]
    assert forge.recorder.of("pull_request_review") == []
    # Another review by the same reviewer submits the pending one, with all comments.
    more = forge.post(path, {"event": "APPROVED", "body": "ok after all",
                             "comments": [{"path": "code.py", "body": "nice", "new_position": 1}]}).json
    assert more["id"] == pending["id"] and more["state"] == "APPROVED" and more["comments_count"] == 2


def test_submitting_a_pending_review(forge):
    pull = ready_pull(forge)
    path = reviews_path(pull["number"])
    pending = forge.post(path, {"body": "draft"}).json
    still = forge.post(f"{path}/{pending['id']}", {"event": "PENDING", "body": "x"})
    assert still.status_code == 422 and still.json["message"] == "review stay pending"
    submitted = forge.post(f"{path}/{pending['id']}", {"event": "REQUEST_CHANGES", "body": "fix it"})
    assert submitted.status_code == 200 and submitted.json["state"] == "REQUEST_CHANGES"
    assert submitted.json["body"] == "fix it" and submitted.json["official"] is True
    again = forge.post(f"{path}/{pending['id']}", {"event": "APPROVED"})
    assert again.status_code == 422 and again.json["message"] == "only a pending review can be submitted"


def test_deleting_a_review_is_for_its_author_or_a_site_admin(forge):
    pull = ready_pull(forge)
    path = reviews_path(pull["number"])
    review = forge.post(path, {"event": "COMMENT", "body": "note"}, as_user="rita").json
    assert forge.delete(f"{path}/{review['id']}", as_user="alice").status_code == 403
    assert forge.delete(f"{path}/{review['id']}", as_user="rita").status_code == 204
    assert forge.get(f"{path}/{review['id']}").status_code == 404
    other = forge.post(path, {"event": "COMMENT", "body": "note"}, as_user="rita").json
    assert forge.delete(f"{path}/{other['id']}", as_user="root").status_code == 204


def test_a_review_of_another_pull_request_is_not_found_here(forge):
    pull = ready_pull(forge)
    second = forge.feature_pull(branch="second")
    review = forge.post(reviews_path(pull["number"]), {"event": "COMMENT", "body": "x"}).json
    assert forge.get(f"{reviews_path(second['number'])}/{review['id']}").status_code == 404
    assert forge.get(f"{reviews_path(pull['number'])}/abc").status_code == 404


def test_approving_a_closed_pull_request_is_refused(forge):
    pull = ready_pull(forge)
    forge.patch(f"/repos/alice/project/pulls/{pull['number']}", {"state": "closed"}, as_user="wanda")
    refused = forge.post(reviews_path(pull["number"]), {"event": "APPROVED"})
    assert refused.status_code == 422 and "closed or merged" in refused.json["message"]
    assert forge.post(reviews_path(pull["number"]), {"event": "COMMENT", "body": "still ok"}).status_code == 200


def test_reviews_go_stale_when_the_head_moves_and_admins_dismiss(forge):
    pull = ready_pull(forge)
    path = reviews_path(pull["number"])
    review = forge.post(path, {"event": "APPROVED"}).json
    forge.commit("alice/project", "feature", {"more.txt": "more\n"}, as_user="wanda")
    assert forge.get(f"{path}/{review['id']}").json["stale"] is True
    assert forge.post(f"{path}/{review['id']}/dismissals", {"message": "outdated"}, as_user="wanda").status_code == 403
    dismissed = forge.post(f"{path}/{review['id']}/dismissals", {"message": "outdated"})
    assert dismissed.status_code == 200 and dismissed.json["dismissed"] is True
    undismissed = forge.post(f"{path}/{review['id']}/undismissals")
    assert undismissed.json["dismissed"] is False
    comment = forge.post(path, {"event": "COMMENT", "body": "x"}).json
    assert forge.post(f"{path}/{comment['id']}/dismissals", {}).status_code == 422
