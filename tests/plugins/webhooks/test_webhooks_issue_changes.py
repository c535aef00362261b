"""Labels, assignees and milestones of issues and pull requests as Gitea's ``issue_label``,
``issue_assign``, ``issue_milestone`` (and ``pull_request_*``) events; the ``issues`` group
selects the issue ones, and only real changes are announced."""

from __future__ import annotations


def _label(forge, name: str) -> int:
    response = forge.post("/repos/alice/project/labels", {"name": name, "color": "#00aabb"})
    assert response.status_code == 201, response.text
    return response.json["id"]


def test_labels_assignees_and_milestones_of_an_issue(forge, receiver):
    bug = _label(forge, "bug")
    milestone = forge.post("/repos/alice/project/milestones", {"title": "v1"})
    assert milestone.status_code == 201, milestone.text
    assert forge.post("/repos/alice/project/issues", {"title": "Broken"}).status_code == 201
    forge.add_hook(receiver.url, events=["issues"])
    issue = "/repos/alice/project/issues/1"
    assert forge.post(f"{issue}/labels", {"labels": [bug]}).status_code == 200
    assert forge.delete(f"{issue}/labels").status_code == 204
    assert forge.post(f"{issue}/assignees", {"assignees": ["bob"]}).status_code == 201
    assert forge.post(f"{issue}/assignees", {"assignees": ["bob"]}).status_code == 201  # no change
    assert forge.patch(issue, {"assignees": []}).status_code == 201
    assert forge.patch(issue, {"milestone": milestone.json["id"]}).status_code == 201
    assert forge.patch(issue, {"milestone": 0}).status_code == 201
    forge.send()
    seen = [(d.event_type, d.payload["action"]) for d in receiver.deliveries]
    assert seen == [("issue_label", "label_updated"), ("issue_label", "label_cleared"),
                    ("issue_assign", "assigned"), ("issue_assign", "unassigned"),
                    ("issue_milestone", "milestoned"), ("issue_milestone", "demilestoned")]
    payloads = [receiver.check(d, "s3cret") for d in receiver.deliveries]
    assert [label["name"] for label in payloads[0]["issue"]["labels"]] == ["bug"]
    assert payloads[2]["issue"]["assignees"][0]["login"] == "bob"
    assert payloads[4]["issue"]["milestone"]["title"] == "v1"
    assert all(d.headers["X-Gitea-Event"] == "issues" for d in receiver.deliveries)


def test_a_pull_requests_labels_are_pull_request_label_events(forge, receiver):
    bug = _label(forge, "bug")
    forge.write_file("f.txt", "f\n", new_branch="feature")
    assert forge.post("/repos/alice/project/pulls", {"head": "feature", "base": "main",
                                                     "title": "Add f"}).status_code == 201
    forge.add_hook(receiver.url + "?issues", events=["issues"])
    forge.add_hook(receiver.url + "?label", events=["pull_request_label"])
    assert forge.post("/repos/alice/project/issues/1/labels", {"labels": [bug]}).status_code == 200
    forge.send()
    [delivery] = receiver.deliveries
    assert delivery.path == "/hook?label" and delivery.event_type == "pull_request_label"
    payload = receiver.check(delivery, "s3cret")
    assert payload["action"] == "label_updated" and payload["pull_request"]["labels"][0]["name"] == "bug"


def test_editing_an_issues_title_sends_issues_edited_with_what_it_was(forge, receiver):
    assert forge.post("/repos/alice/project/issues", {"title": "Broken", "body": "b"}).status_code == 201
    forge.add_hook(receiver.url, events=["issues"])
    assert forge.patch("/repos/alice/project/issues/1", {"title": "Broken badly"}).status_code == 201
    assert forge.patch("/repos/alice/project/issues/1", {"title": "Broken badly"}).status_code == 201
    forge.send()
    [delivery] = receiver.deliveries
    payload = receiver.check(delivery, "s3cret")
    assert (delivery.event_type, payload["action"]) == ("issues", "edited")
    assert payload["changes"] == {"title": {"from": "Broken"}}
    assert payload["issue"]["title"] == "Broken badly"


def test_review_requests_are_pull_request_review_request_events(forge, receiver):
    forge.write_file("f.txt", "f\n", new_branch="feature")
    assert forge.post("/repos/alice/project/pulls", {"head": "feature", "base": "main",
                                                     "title": "Add f"}).status_code == 201
    forge.add_hook(receiver.url, events=["pull_request_review_request"])
    path = "/repos/alice/project/pulls/1/requested_reviewers"
    assert forge.post(path, {"reviewers": ["bob"]}).status_code == 201
    assert forge.post(path, {"reviewers": ["bob"]}).status_code == 201  # already requested
    assert forge.delete(path, {"reviewers": ["bob"]}).status_code == 204
    forge.send()
    seen = [(d.event_type, d.payload["action"]) for d in receiver.deliveries]
    assert seen == [("pull_request_review_request", "review_requested"),
                    ("pull_request_review_request", "review_request_removed")]
    payload = receiver.check(receiver.deliveries[0], "s3cret")
    assert payload["requested_reviewer"]["login"] == "bob" and payload["sender"]["login"] == "alice"
    assert receiver.deliveries[0].headers["X-Gitea-Event"] == "pull_request"
