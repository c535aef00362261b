"""A submitted review is a row of the pull request's timeline (Gitea's ``review`` comment,
type 22, with ``review_id`` and the review's body), written in the submission's transaction;
the review's ``html_url`` is that row's ``#issuecomment-`` anchor, so it never names a plain
comment of the same page. The comments list leaves review rows out (Gitea lists plain comments
only); deleting a review removes its row, dismissing it does not."""

from __future__ import annotations

from tests.plugins.pulls.test_pulls_reviews import ready_pull, reviews_path


def _timeline(forge, number: int) -> list[dict]:
    response = forge.get(f"/repos/alice/project/issues/{number}/timeline")
    assert response.status_code == 200, response.text
    return response.json


def _review_rows(forge, number: int) -> list[dict]:
    return [row for row in _timeline(forge, number) if row["type"] == "review"]


def _comment(forge, number: int, body: str) -> dict:
    response = forge.post(f"/repos/alice/project/issues/{number}/comments", {"body": body})
    assert response.status_code == 201, response.text
    return response.json


def test_a_submitted_review_is_a_timeline_row_shaped_as_giteas(forge):
    pull = ready_pull(forge)
    review = forge.post(reviews_path(pull["number"]), {"event": "REQUEST_CHANGES",
                                                       "body": "Please **rename** b"}).json
    [row] = _review_rows(forge, pull["number"])
    assert row["review_id"] == review["id"] and row["body"] == "Please **rename** b"
    assert row["user"]["login"] == "alice"
    assert row["html_url"] == f"{pull['html_url']}#issuecomment-{row['id']}"
    assert row["pull_request_url"] == pull["html_url"] and row["issue_url"] == ""
    assert review["html_url"] == row["html_url"]
    # The other rows still say review_id 0, as Gitea's do.
    _comment(forge, pull["number"], "a plain one")
    plain = [r for r in _timeline(forge, pull["number"]) if r["type"] == "comment"]
    assert [r["review_id"] for r in plain] == [0]
    # Listed and fetched reviews carry the same html_url.
    listed = forge.get(reviews_path(pull["number"])).json
    assert [r["html_url"] for r in listed] == [row["html_url"]]
    assert forge.get(f"{reviews_path(pull['number'])}/{review['id']}").json["html_url"] \
        == row["html_url"]


def test_the_comments_list_leaves_review_rows_out(forge):
    pull = ready_pull(forge)
    plain = _comment(forge, pull["number"], "first")
    forge.post(reviews_path(pull["number"]), {"event": "APPROVED", "body": "fine"})
    listed = forge.get(f"/repos/alice/project/issues/{pull['number']}/comments").json
    assert [c["id"] for c in listed] == [plain["id"]]
    across = forge.get("/repos/alice/project/issues/comments").json
    assert [c["id"] for c in across] == [plain["id"]]
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}").json["comments"] == 1


def test_review_anchors_never_name_a_plain_comment(forge):
    pull = ready_pull(forge)
    number = pull["number"]
    comment_ids, reviews = [], []
    for turn in range(3):  # comments and reviews interleaved: their ids run side by side
        comment_ids.append(_comment(forge, number, f"comment {turn}")["id"])
        reviews.append(forge.post(reviews_path(number), {"event": "COMMENT",
                                                         "body": f"review {turn}"}).json)
    # A review's own id equals a plain comment's id here: the old anchor would clash.
    assert {review["id"] for review in reviews} & set(comment_ids)
    rows = {row["review_id"]: row["id"] for row in _review_rows(forge, number)}
    for review in reviews:
        anchor = int(review["html_url"].rsplit("#issuecomment-", 1)[1])
        assert anchor == rows[review["id"]] and anchor not in comment_ids
    timeline = _timeline(forge, number)
    assert [(row["type"], row["body"]) for row in timeline] == [
        kind_body for turn in range(3)
        for kind_body in (("comment", f"comment {turn}"), ("review", f"review {turn}"))]


def test_a_pending_review_has_no_row_until_it_is_submitted(forge):
    pull = ready_pull(forge)
    number = pull["number"]
    pending = forge.post(reviews_path(number), {"event": "PENDING", "body": "thinking"}).json
    assert pending["state"] == "PENDING" and pending["html_url"] == ""
    assert _review_rows(forge, number) == []
    submitted = forge.post(f"{reviews_path(number)}/{pending['id']}",
                           {"event": "COMMENT", "body": "done thinking"})
    assert submitted.status_code == 200, submitted.text
    [row] = _review_rows(forge, number)
    assert row["review_id"] == pending["id"] and row["body"] == "done thinking"
    assert submitted.json["html_url"].endswith(f"#issuecomment-{row['id']}")


def test_a_pending_review_submitted_by_a_new_review_gets_one_row(forge):
    pull = ready_pull(forge)
    number = pull["number"]
    pending = forge.post(reviews_path(number), {"event": "PENDING", "body": "draft"}).json
    review = forge.post(reviews_path(number), {"event": "APPROVED", "body": "ok now"}).json
    assert review["id"] == pending["id"]
    assert [(row["review_id"], row["body"]) for row in _review_rows(forge, number)] == [
        (review["id"], "ok now")]


def test_deleting_a_review_removes_its_row_and_dismissing_keeps_it(forge):
    pull = ready_pull(forge)
    number = pull["number"]
    kept = forge.post(reviews_path(number), {"event": "APPROVED", "body": "yes"}).json
    gone = forge.post(reviews_path(number), {"event": "COMMENT", "body": "hm"},
                      as_user="rita").json
    dismissed = forge.post(f"{reviews_path(number)}/{kept['id']}/dismissals",
                           {"message": "too early"})
    assert dismissed.status_code == 200, dismissed.text
    assert forge.delete(f"{reviews_path(number)}/{gone['id']}", as_user="rita").status_code == 204
    rows = _review_rows(forge, number)
    assert [row["review_id"] for row in rows] == [kept["id"]]
    assert dismissed.json["html_url"] == kept["html_url"] == rows[0]["html_url"]
    assert [row["body"] for row in _timeline(forge, number)
            if row["type"] == "dismiss_review"] == ["too early"]
