"""An issue GET reads the issue's labels and assignees with the issue (two JSON columns of its
read: one statement instead of three, issue 13) and renders them exactly as a read of their
own does (the issue list's): the labels by name, the assignees in the order they were
assigned, an archived label's time, a deleted poster's Ghost, nothing as ``[]`` and null."""

from __future__ import annotations


def _listed(tracker, number: int) -> dict:
    listed = tracker.get("/repos/alice/tracker/issues", params={"state": "all", "limit": "50"})
    assert listed.status_code == 200, listed.text
    return next(issue for issue in listed.json if issue["number"] == number)


def test_an_issue_get_renders_what_the_list_renders(tracker):
    zeta = tracker.label(name="zeta", color="#00ff00")  # made first: its id is the lower
    alpha = tracker.label(name="alpha", description="first by name")
    archived = tracker.label(name="old")
    response = tracker.patch(f"/repos/alice/tracker/labels/{archived['id']}", {"is_archived": True})
    assert response.status_code == 200, response.text
    issue = tracker.issue(title="Labelled", labels=[zeta["id"], alpha["id"], archived["id"]],
                          assignees=["wanda", "alice"], as_user="alice")
    plain = tracker.issue(title="Nothing on it", as_user="wanda")

    got = tracker.get(f"/repos/alice/tracker/issues/{issue['number']}")
    assert got.status_code == 200, got.text
    assert [label["name"] for label in got.json["labels"]] == ["alpha", "old", "zeta"]
    assert got.json["labels"][1]["is_archived"] is True
    assert [user["login"] for user in got.json["assignees"]] == ["wanda", "alice"]
    assert got.json["assignee"]["login"] == "wanda"
    assert got.json == _listed(tracker, issue["number"])

    got = tracker.get(f"/repos/alice/tracker/issues/{plain['number']}", as_user="rita")
    assert got.status_code == 200, got.text
    assert got.json["labels"] == [] and got.json["assignees"] is None
    assert got.json == _listed(tracker, plain["number"])
