"""``GET /issues/{index}/timeline``: the events the tracker records where each change happens
(labels, assignees, milestone, title, close and reopen), in order with the plain comments, in
Gitea's ``TimelineComment`` shape; the comment API keeps serving plain comments only."""

from __future__ import annotations

import pytest

from tests.e2e import gitea_swagger

TIMELINE = "/repos/alice/tracker/issues/1/timeline"


def events(tracker, path=TIMELINE, **params) -> list[dict]:
    response = tracker.get(path, params=params) if params else tracker.get(path)
    assert response.status_code == 200, response.text
    return response.json


def summary(rows: list[dict]) -> list[tuple]:
    """Each row as (type, what it names) for comparing whole timelines."""
    out = []
    for row in rows:
        if row["type"] == "label":
            out.append(("label", row["label"]["name"], "added" if row["body"] == "1" else "removed"))
        elif row["type"] == "assignees":
            out.append(("assignees", row["assignee"]["login"],
                        "removed" if row["removed_assignee"] else "added"))
        elif row["type"] == "milestone":
            out.append(("milestone", (row["old_milestone"] or {}).get("title"),
                        (row["milestone"] or {}).get("title")))
        elif row["type"] == "change_title":
            out.append(("change_title", row["old_title"], row["new_title"]))
        elif row["type"] == "comment":
            out.append(("comment", row["body"]))
        else:
            out.append((row["type"],))
    return out


def test_each_change_is_recorded_in_order_with_the_comments(tracker):
    bug, docs = tracker.label(name="bug"), tracker.label(name="docs", color="#0075ca")
    v1, v2 = tracker.milestone(title="v1"), tracker.milestone(title="v2")
    tracker.issue(title="Broken")
    issue = "/repos/alice/tracker/issues/1"
    assert tracker.post(f"{issue}/labels", {"labels": [bug["id"], docs["id"]]}).status_code == 200
    tracker.comment(1, "First")
    assert tracker.delete(f"{issue}/labels/{bug['id']}").status_code == 204
    assert tracker.patch(issue, {"milestone": v1["id"], "assignees": ["wanda"]}).status_code == 201
    assert tracker.patch(issue, {"milestone": v2["id"], "title": "Really broken"}).status_code == 201
    assert tracker.patch(issue, {"milestone": 0, "assignees": []}).status_code == 201
    assert tracker.patch(issue, {"state": "closed"}, as_user="wanda").status_code == 201
    assert tracker.patch(issue, {"state": "open"}).status_code == 201
    assert tracker.delete(f"{issue}/labels").status_code == 204
    rows = events(tracker)
    assert summary(rows) == [
        ("label", "bug", "added"), ("label", "docs", "added"),
        ("comment", "First"),
        ("label", "bug", "removed"),
        ("assignees", "wanda", "added"), ("milestone", None, "v1"),
        ("change_title", "Broken", "Really broken"), ("milestone", "v1", "v2"),
        ("assignees", "wanda", "removed"), ("milestone", "v2", None),
        ("close",), ("reopen",),
        ("label", "docs", "removed"),
    ]
    closer = next(row for row in rows if row["type"] == "close")
    assert closer["user"]["login"] == "wanda" and closer["body"] == ""
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    # The comment API, the count and the web address stay the plain comments'.
    comments = tracker.get(f"{issue}/comments").json
    assert [c["body"] for c in comments] == ["First"]
    assert tracker.get(issue).json["comments"] == 1
    assert closer["html_url"].endswith(f"/alice/tracker/issues/1#issuecomment-{closer['id']}")
    assert closer["issue_url"].endswith("/alice/tracker/issues/1")
    assert closer["pull_request_url"] == ""


def test_the_shape_is_giteas_timeline_comment(tracker):
    milestone, label = tracker.milestone(title="v1"), tracker.label(name="bug")
    tracker.issue()
    tracker.patch("/repos/alice/tracker/issues/1", {"milestone": milestone["id"]})
    tracker.comment(1)
    tracker.patch("/repos/alice/tracker/issues/1", {"title": "New", "assignees": ["wanda"],
                                                    "state": "closed"})
    tracker.post("/repos/alice/tracker/issues/1/labels", {"labels": [label["id"]]})
    rows = events(tracker)
    assert {row["type"] for row in rows} == {"milestone", "comment", "change_title",
                                              "assignees", "close", "label"}
    # Every field of Gitea's spec, of the type its generated clients expect.
    _, schema = gitea_swagger.response_schema(
        "GET", "/repos/{owner}/{repo}/issues/{index}/timeline", 200)
    assert gitea_swagger.problems(rows, schema) == []
    fields = gitea_swagger.spec()["definitions"]["TimelineComment"]["properties"]
    assert all(set(row) == set(fields) for row in rows)
    row = rows[0]
    assert row["type"] == "milestone" and row["old_milestone"] is None
    assert row["milestone"]["title"] == "v1" and row["milestone"]["closed_issues"] == 1
    for field in ("label", "assignee", "ref_issue", "tracked_time", "assignee_team"):
        assert row[field] is None, field
    assert row["removed_assignee"] is False and row["old_title"] == "" and row["review_id"] == 0


def test_assignee_endpoints_and_replacing_labels_record_only_real_changes(tracker):
    bug, docs = tracker.label(name="bug"), tracker.label(name="docs", color="#0075ca")
    tracker.issue(labels=[bug["id"]])
    path = "/repos/alice/tracker/issues/1"
    tracker.post(f"{path}/assignees", {"assignees": ["wanda", "alice"]})
    tracker.post(f"{path}/assignees", {"assignees": ["wanda"]})  # already there: nothing
    tracker.delete(f"{path}/assignees", {"assignees": ["alice"]})
    tracker.put(f"{path}/labels", {"labels": [docs["id"]]})
    tracker.put(f"{path}/labels", {"labels": [docs["id"]]})  # the same: nothing
    tracker.patch(path, {"title": "Something is broken", "body": "more words"})  # same title
    assert summary(events(tracker)) == [
        ("label", "bug", "added"),  # what it was created with
        ("assignees", "wanda", "added"), ("assignees", "alice", "added"),
        ("assignees", "alice", "removed"),
        ("label", "docs", "added"), ("label", "bug", "removed"),
    ]


def test_a_refused_change_records_nothing(tracker):
    tracker.issue()
    path = "/repos/alice/tracker/issues/1"
    assert tracker.patch(path, {"title": "New", "state": "shut"}).status_code == 412
    assert tracker.patch(path, {"title": "New"}, as_user="oscar").status_code == 403
    assert events(tracker) == []


def test_what_an_issue_is_created_with_is_on_its_timeline(tracker):
    bug, milestone = tracker.label(name="bug"), tracker.milestone(title="v1")
    tracker.issue(labels=[bug["id"]], milestone=milestone["id"], assignees=["wanda", "wanda"],
                  as_user="wanda")
    rows = events(tracker)
    assert summary(rows) == [("milestone", None, "v1"), ("label", "bug", "added"),
                             ("assignees", "wanda", "added")]
    assert {row["user"]["login"] for row in rows} == {"wanda"}
    # A reader's issue is created without them (Gitea's rule), so nothing is recorded.
    tracker.issue(title="From a reader", labels=[bug["id"]], as_user="rita")
    assert events(tracker, "/repos/alice/tracker/issues/2/timeline") == []


def test_closed_at_creation_is_a_close_event_and_keyword_search_ignores_events(tracker):
    label = tracker.label(name="bug")
    tracker.issue(title="Done already", closed=True)
    assert summary(events(tracker)) == [("close",)]
    tracker.issue(title="Other")
    tracker.post("/repos/alice/tracker/issues/2/labels", {"labels": [label["id"]]})
    # A label event's body is "1": it is not text an issue search finds.
    found = tracker.get("/repos/alice/tracker/issues", params={"q": "1", "state": "all"}).json
    assert found == []


def test_pages_since_and_privacy(tracker):
    tracker.issue(repo="alice/vault")
    for number in range(3):
        tracker.patch("/repos/alice/vault/issues/1", {"title": f"Title {number}"})
    path = "/repos/alice/vault/issues/1/timeline"
    page = tracker.get(path, params={"limit": 2, "page": 2}, as_user="rita")
    assert page.status_code == 200 and [r["new_title"] for r in page.json] == ["Title 2"]
    assert page.headers["X-Total-Count"] == "3"
    everything = events(tracker, path)
    later = events(tracker, path, since=everything[-1]["updated_at"])
    assert everything[-1]["id"] in [row["id"] for row in later]
    assert tracker.get(path, as_user="oscar").status_code == 404
    assert tracker.get(path, params={"since": "yesterday"}).status_code == 422
    assert tracker.get("/repos/alice/vault/issues/9/timeline").status_code == 404


@pytest.mark.parametrize("deleted", ["label", "milestone"])
def test_deleting_what_an_event_names(tracker, deleted):
    label, milestone = tracker.label(name="bug"), tracker.milestone(title="v1")
    tracker.issue()
    tracker.post("/repos/alice/tracker/issues/1/labels", {"labels": [label["id"]]})
    tracker.patch("/repos/alice/tracker/issues/1", {"milestone": milestone["id"]})
    target = label if deleted == "label" else milestone
    assert tracker.delete(f"/repos/alice/tracker/{deleted}s/{target['id']}").status_code == 204
    rows = events(tracker)
    if deleted == "label":  # the label's events go with it
        assert [row["type"] for row in rows] == ["milestone"]
    else:  # the event stays, naming no milestone
        assert [row["type"] for row in rows] == ["label", "milestone"]
        assert rows[1]["milestone"] is None


def test_an_event_is_not_a_comment_to_read_edit_or_delete(tracker):
    tracker.issue()
    tracker.patch("/repos/alice/tracker/issues/1", {"state": "closed"})
    [event] = events(tracker)
    path = f"/repos/alice/tracker/issues/comments/{event['id']}"
    assert tracker.get(path).status_code == 204
    assert tracker.patch(path, {"body": "rewritten"}).status_code == 204
    assert tracker.delete(path).status_code == 204
    assert events(tracker) == [event]  # Gitea leaves other types alone
    assert tracker.get("/repos/alice/tracker/issues/comments").json == []
