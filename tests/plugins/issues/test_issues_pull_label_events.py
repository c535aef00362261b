"""A pull request's labels replaced by ``PATCH .../pulls/{n}`` (``labels``) or by
``PUT .../issues/{n}/labels`` go on its timeline as an issue's own label changes do: one
``label`` event per label added or removed, by who made the change."""

from __future__ import annotations

from tests.plugins.issues.test_issues_timeline_references import commit_file, timeline


def label_events(rows) -> list[tuple]:
    return [(row["label"]["name"], "added" if row["body"] == "1" else "removed",
             row["user"]["login"]) for row in rows if row["type"] == "label"]


def test_labels_replaced_through_the_pull_request_api_are_recorded(tracker):
    bug, docs, ui = (tracker.label(name=name) for name in ("bug", "docs", "ui"))
    commit_file(tracker, "work.txt", "Work", new_branch="work")
    pull = tracker.post("/repos/alice/tracker/pulls",
                        {"title": "Work", "head": "work", "base": "main"})
    assert pull.status_code == 201, pull.text
    path = "/repos/alice/tracker/pulls/1"
    response = tracker.patch(path, {"labels": [bug["id"], docs["id"]]}, as_user="wanda")
    assert response.status_code == 201, response.text
    assert tracker.patch(path, {"labels": [docs["id"]]}).status_code == 201
    assert tracker.patch(path, {"labels": [docs["id"]]}).status_code == 201  # no change
    response = tracker.put("/repos/alice/tracker/issues/1/labels", {"labels": [ui["id"]]})
    assert response.status_code == 200, response.text
    assert label_events(timeline(tracker)) == [
        ("bug", "added", "wanda"), ("docs", "added", "wanda"),
        ("bug", "removed", "alice"),
        ("ui", "added", "alice"), ("docs", "removed", "alice"),
    ]
    assert [event.action for event in tracker.recorder.of("issue_changed")
            if event.number == 1].count("label_updated") == 4
