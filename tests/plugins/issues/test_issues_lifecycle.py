"""The tracker alongside the rest of Plue: repository deletion, the OpenAPI document, and
list pages that cost the same number of queries whatever their size."""

from __future__ import annotations

import logging

import pytest


def test_deleting_a_repository_takes_its_tracker_along_and_a_new_one_starts_at_one(tracker):
    bug = tracker.label()
    milestone = tracker.milestone()
    tracker.issue(labels=[bug["id"]], milestone=milestone["id"], assignees=["wanda"])
    tracker.comment(1, "@rita see this")
    assert tracker.delete("/repos/alice/tracker").status_code == 204
    tracker.create_repo("tracker")
    assert tracker.get("/repos/alice/tracker/labels").json == []
    assert tracker.get("/repos/alice/tracker/issues/comments").json == []
    assert tracker.issue()["number"] == 1


def test_deleting_an_organization_takes_its_labels_along(tracker):
    tracker.post("/orgs/acme/labels", {"name": "team", "color": "fff"})
    assert tracker.delete("/repos/acme/site").status_code == 204
    assert tracker.delete("/orgs/acme").status_code == 204
    assert tracker.post("/orgs", {"username": "acme"}).status_code == 201
    assert tracker.get("/orgs/acme/labels").json == []


def test_the_openapi_document_describes_the_issue_api(tracker):
    spec = tracker.client.simulate_get("/api/openapi.json").json
    issues = spec["paths"]["/api/v1/repos/{owner}/{repo}/issues"]
    assert issues["post"]["operationId"] == "issueCreateIssue"
    assert issues["get"]["operationId"] == "issueListIssues"
    edit = spec["paths"]["/api/v1/repos/{owner}/{repo}/issues/{index}"]["patch"]
    assert "201" in edit["responses"]
    assert "Issue" in spec["components"]["schemas"] and "Label" in spec["components"]["schemas"]


class QueryCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


@pytest.fixture
def count_queries():
    logger = logging.getLogger("peewee")
    counter = QueryCounter()
    level = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    yield counter
    logger.removeHandler(counter)
    logger.setLevel(level)


def test_a_page_of_issues_costs_the_same_queries_for_five_or_fifty(tracker, count_queries):
    labels = [tracker.label(name=f"l{n}")["id"] for n in range(3)]
    milestones = [tracker.milestone(title=f"m{n}")["id"] for n in range(3)]
    for n in range(50):
        tracker.issue(title=f"i{n}", labels=labels[: n % 3 + 1], milestone=milestones[n % 3],
                      assignees=["wanda", "alice"][: n % 2 + 1])
    costs = {}
    for size in (5, 50):
        count_queries.count = 0
        response = tracker.get("/repos/alice/tracker/issues", params={"limit": size}, as_user=None)
        assert len(response.json) == size
        costs[size] = count_queries.count
    assert costs[5] == costs[50]
    count_queries.count = 0
    tracker.get("/repos/alice/tracker/issues/comments", params={"limit": 50}, as_user=None)
    assert count_queries.count <= costs[5]
