"""The pull request page's review controls: dismissing a review (``POST /pulls/{n}/dismiss_review``,
the API's dismissals rule: repository administrators, approvals and change requests) and the
sidebar's review requests (``POST /pulls/{n}/request_review``, Gitea's ``requested_reviewers``
rules) -- forms with CSRF tokens, working without JavaScript, 404 on private repositories."""

from __future__ import annotations

import pytest

from plue_core.testing import make_user


@pytest.fixture
def reviewed(site):
    """alice's pull request #1 (feature/x into main); oscar writes to alice/code and approved
    it."""
    assert site.put("/repos/alice/code/collaborators/oscar",
                    {"permission": "write"}).status_code == 204
    assert site.post("/repos/alice/code/pulls", {"head": "feature/x", "base": "main",
                                                 "title": "Add the feature"}).status_code == 201
    approval = site.post("/repos/alice/code/pulls/1/reviews", {"event": "APPROVED", "body": "ok"},
                         as_user="oscar")
    assert approval.status_code == 200, approval.text
    site.review_id = approval.json["id"]
    return site


def _review(site, review_id):
    return site.get(f"/repos/alice/code/pulls/1/reviews/{review_id}").json


# --- dismissing ------------------------------------------------------------------------------


def test_an_administrator_dismisses_an_approval(reviewed):
    alice = reviewed.browser("alice")
    page = alice.get("/alice/code/pulls/1")
    assert page.status_code == 200
    assert f'name="review_id" value="{reviewed.review_id}"' in page.text
    result = alice.post("/alice/code/pulls/1/dismiss_review",
                        {"review_id": str(reviewed.review_id), "message": "Approved <too> soon"})
    assert result.status_code == 303, result.text
    # Back at the review's timeline row, where its html_url points.
    anchor = _review(reviewed, reviewed.review_id)["html_url"].split("#")[1]
    assert anchor.startswith("issuecomment-")
    assert result.headers["location"].endswith(f"/alice/code/pulls/1#{anchor}")
    assert _review(reviewed, reviewed.review_id)["dismissed"] is True
    again = alice.get("/alice/code/pulls/1")
    assert ">dismissed</span>" in again.text
    assert f'name="review_id" value="{reviewed.review_id}"' not in again.text
    # The message is on the timeline (escaped), as the API's timeline shows it.
    assert 'dismissed a review: <q class="dismiss-message">Approved &lt;too&gt; soon</q>' in again.text
    events = [(event["type"], event["body"], event["user"]["login"])
              for event in reviewed.get("/repos/alice/code/issues/1/timeline").json
              if event["type"] == "dismiss_review"]
    assert events == [("dismiss_review", "Approved <too> soon", "alice")]


def test_the_api_s_dismissal_records_its_message_the_same_way(reviewed):
    dismissed = reviewed.post(
        f"/repos/alice/code/pulls/1/reviews/{reviewed.review_id}/dismissals",
        {"message": "Stale"})
    assert dismissed.status_code == 200 and dismissed.json["dismissed"] is True
    restored = reviewed.post(
        f"/repos/alice/code/pulls/1/reviews/{reviewed.review_id}/undismissals")
    assert restored.status_code == 200 and restored.json["dismissed"] is False
    events = [(event["type"], event["body"])
              for event in reviewed.get("/repos/alice/code/issues/1/timeline").json
              if event["type"] == "dismiss_review"]
    assert events == [("dismiss_review", "Stale")]  # undoing it records nothing, as Gitea
    refused = reviewed.post(
        f"/repos/alice/code/pulls/1/reviews/{reviewed.review_id}/dismissals",
        {"message": "mine"}, as_user="oscar")
    assert refused.status_code == 403
    assert len([event for event in reviewed.get("/repos/alice/code/issues/1/timeline").json
                if event["type"] == "dismiss_review"]) == 1


def test_a_writer_may_not_dismiss(reviewed):
    oscar = reviewed.browser("oscar")
    page = oscar.get("/alice/code/pulls/1")
    assert 'name="review_id"' not in page.text  # no form for a mere writer
    result = oscar.post("/alice/code/pulls/1/dismiss_review",
                        {"review_id": str(reviewed.review_id)})
    assert result.status_code == 403 and "Must be repo admin" in result.text
    assert _review(reviewed, reviewed.review_id)["dismissed"] is False


def test_refused_dismissals_leave_the_review_alone(reviewed):
    comment = reviewed.post("/repos/alice/code/pulls/1/reviews", {"event": "COMMENT",
                                                                   "body": "a thought"},
                            as_user="oscar").json["id"]
    alice = reviewed.browser("alice")
    alice.get("/alice/code/pulls/1")
    refused = alice.post("/alice/code/pulls/1/dismiss_review", {"review_id": str(comment)})
    assert refused.status_code == 422 and "not allowed to dismiss review of type COMMENT" in refused.text
    for bad in ("", "x", "12345678901234567890"):
        result = alice.post("/alice/code/pulls/1/dismiss_review", {"review_id": bad},
                            from_page="/alice/code/pulls/1")
        assert result.status_code == 422 and "review_id" in result.text
    assert alice.post("/alice/code/pulls/1/dismiss_review", {"review_id": "999999"},
                      from_page="/alice/code/pulls/1").status_code == 404
    assert alice.post("/alice/code/pulls/1/dismiss_review",
                      {"review_id": str(reviewed.review_id)}, csrf=False).status_code == 403
    anonymous = reviewed.browser()
    signed_out = anonymous.post("/alice/code/pulls/1/dismiss_review",
                                {"review_id": str(reviewed.review_id)}, from_page="/user/login")
    assert signed_out.status_code == 303 and "/user/login" in signed_out.headers["location"]
    assert _review(reviewed, reviewed.review_id)["dismissed"] is False


def test_a_review_of_another_pull_request_is_not_found(reviewed):
    assert reviewed.post("/repos/alice/code/branches", {"new_branch_name": "other"}).status_code == 201
    reviewed.add_files("alice/code", {"other.txt": b"other\n"}, branch="other")
    assert reviewed.post("/repos/alice/code/pulls", {"head": "other", "base": "main",
                                                     "title": "Other"}).status_code == 201
    alice = reviewed.browser("alice")
    result = alice.post("/alice/code/pulls/2/dismiss_review",
                        {"review_id": str(reviewed.review_id)}, from_page="/alice/code/pulls/2")
    assert result.status_code == 404
    assert _review(reviewed, reviewed.review_id)["dismissed"] is False


# --- review requests -------------------------------------------------------------------------


def test_the_poster_requests_and_removes_a_reviewer(reviewed):
    alice = reviewed.browser("alice")
    page = alice.get("/alice/code/pulls/1")
    assert '<select id="request-reviewer" name="reviewer">' in page.text
    assert '<option value="oscar">oscar</option>' in page.text
    assert '<option value="alice">' not in page.text  # the poster can't review her own
    result = alice.post("/alice/code/pulls/1/request_review",
                        {"action": "attach", "reviewer": "oscar"})
    assert result.status_code == 303 and result.headers["location"].endswith("/alice/code/pulls/1")
    pull = reviewed.get("/repos/alice/code/pulls/1").json
    assert [user["login"] for user in pull["requested_reviewers"]] == ["oscar"]
    page = alice.get("/alice/code/pulls/1")
    assert "asked to review" in page.text
    assert 'aria-label="Remove the review request of oscar"' in page.text
    assert '<option value="oscar">' not in page.text  # already asked
    result = alice.post("/alice/code/pulls/1/request_review",
                        {"action": "detach", "reviewer": "oscar"})
    assert result.status_code == 303
    assert reviewed.get("/repos/alice/code/pulls/1").json["requested_reviewers"] == []


def test_a_requested_reviewer_may_withdraw_their_own_request_only(reviewed):
    make_user(reviewed.ctx, "rita")
    assert reviewed.put("/repos/alice/code/collaborators/rita",
                        {"permission": "read"}).status_code == 204
    assert reviewed.post("/repos/alice/code/pulls/1/requested_reviewers",
                         {"reviewers": ["rita", "oscar"]}).status_code == 201
    rita = reviewed.browser("rita")
    page = rita.get("/alice/code/pulls/1")
    assert 'aria-label="Remove the review request of rita"' in page.text
    assert 'aria-label="Remove the review request of oscar"' not in page.text
    assert 'id="request-reviewer"' not in page.text  # a reader does not choose reviewers
    refused = rita.post("/alice/code/pulls/1/request_review",
                        {"action": "detach", "reviewer": "oscar"})
    assert refused.status_code == 422 and "remove oscar" in refused.text
    assert rita.post("/alice/code/pulls/1/request_review", {"action": "detach", "reviewer": "rita"},
                     from_page="/alice/code/pulls/1").status_code == 303
    pull = reviewed.get("/repos/alice/code/pulls/1").json
    assert [user["login"] for user in pull["requested_reviewers"]] == ["oscar"]


def test_refused_review_requests_say_why(reviewed):
    alice = reviewed.browser("alice")
    alice.get("/alice/code/pulls/1")
    for fields, status, says in (
            ({"action": "attach", "reviewer": "alice"}, 422, "is the poster"),
            ({"action": "attach", "reviewer": "nobody"}, 404, "nobody"),
            ({"action": "attach", "reviewer": ""}, 422, "reviewer"),
            ({"action": "toggle", "reviewer": "oscar"}, 422, "attach or detach")):
        result = alice.post("/alice/code/pulls/1/request_review", fields,
                            from_page="/alice/code/pulls/1")
        assert result.status_code == status and says in result.text, (fields, result.text)
    assert alice.post("/alice/code/pulls/1/request_review", {"action": "attach",
                                                             "reviewer": "oscar"},
                      csrf=False).status_code == 403
    assert reviewed.get("/repos/alice/code/pulls/1").json["requested_reviewers"] == []


def test_the_controls_of_a_private_repository_are_404_to_strangers(site):
    site.post("/repos/alice/vault/branches", {"new_branch_name": "topic"})
    site.add_files("alice/vault", {"topic.txt": b"x\n"}, branch="topic")
    assert site.post("/repos/alice/vault/pulls", {"head": "topic", "base": "main",
                                                  "title": "Secret"}).status_code == 201
    oscar = site.browser("oscar")
    for path, fields in (("/alice/vault/pulls/1/dismiss_review", {"review_id": "1"}),
                         ("/alice/vault/pulls/1/request_review",
                          {"action": "attach", "reviewer": "oscar"})):
        assert oscar.post(path, fields, from_page="/").status_code == 404
    assert site.get("/repos/alice/vault/pulls/1").json["requested_reviewers"] == []
