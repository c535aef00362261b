"""A pull request's title or body edited through the issue API (``PATCH .../issues/{n}``)
sends ``pull_request`` ``edited`` with what each field was, as Gitea's issue edit of a pull
request does; through the pull API, once per edit, never twice, and a new base says what
it was (Gitea's ``changes.ref``)."""

from __future__ import annotations


def _pull(forge):
    forge.write_file("f.txt", "f\n", new_branch="feature")
    response = forge.post("/repos/alice/project/pulls", {"head": "feature", "base": "main",
                                                         "title": "Add f", "body": "first"})
    assert response.status_code == 201, response.text


def test_editing_a_pull_requests_title_through_the_issue_api_sends_pull_request_edited(
        forge, receiver):
    _pull(forge)
    forge.add_hook(receiver.url, events=["pull_request", "issues"])
    issue = "/repos/alice/project/issues/1"
    assert forge.patch(issue, {"title": "Add f, better"}).status_code == 201
    assert forge.patch(issue, {"title": "Add f, better"}).status_code == 201  # no change
    assert forge.patch(issue, {"body": "second"}).status_code == 201
    forge.send()
    assert [(d.event_type, d.payload["action"]) for d in receiver.deliveries] == [
        ("pull_request", "edited"), ("pull_request", "edited")]
    title, body = [receiver.check(d, "s3cret") for d in receiver.deliveries]
    assert title["changes"] == {"title": {"from": "Add f"}}
    assert title["pull_request"]["title"] == "Add f, better" and title["number"] == 1
    assert title["sender"]["login"] == "alice"
    assert body["changes"] == {"body": {"from": "first"}}
    assert receiver.deliveries[0].headers["X-Gitea-Event"] == "pull_request"


def test_editing_through_the_pull_api_sends_one_edited_per_edit(forge, receiver):
    _pull(forge)
    forge.add_hook(receiver.url, events=["pull_request"])
    pull = "/repos/alice/project/pulls/1"
    assert forge.patch(pull, {"title": "Renamed"}).status_code == 201
    assert forge.patch(pull, {"due_date": "2030-01-01T00:00:00Z"}).status_code == 201
    forge.send()
    edits = [receiver.check(d, "s3cret") for d in receiver.deliveries]
    assert [payload["action"] for payload in edits] == ["edited", "edited"]
    assert edits[0]["changes"] == {"title": {"from": "Add f"}}
    assert "changes" not in edits[1]


def test_a_new_base_says_what_it_was(forge, receiver):
    _pull(forge)
    forge.write_file("g.txt", "g\n", new_branch="develop")
    forge.add_hook(receiver.url, events=["pull_request"])
    assert forge.patch("/repos/alice/project/pulls/1", {"base": "develop"}).status_code == 201
    forge.send()
    [edited] = [receiver.check(d, "s3cret") for d in receiver.deliveries]
    assert edited["action"] == "edited" and edited["changes"] == {"ref": {"from": "main"}}
    assert edited["pull_request"]["base"]["ref"] == "develop"
