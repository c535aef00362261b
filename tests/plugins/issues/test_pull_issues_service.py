"""The issue side of pull requests on ``ctx.services["issues"]`` (``pull_issues.py``): what the
pulls plugin asks instead of reading the issue tables. Shown here on pull issues made through
the service alone, with plain lists standing for the pulls plugin's subquery of its own rows."""

from __future__ import annotations

import datetime

import pytest

from plue_issues.models import Issue


@pytest.fixture
def pulls_side(tracker):
    """Four pull issues of alice/tracker (#1 by alice with ``bug``, #2 by wanda with ``ui``
    in milestone v1, #3 by alice, #4 by alice and closed) and a plain issue #5."""
    service = tracker.ctx.services["issues"]
    repository = tracker.ctx.services["git_hosting"].find_repository("alice", "tracker")
    accounts = tracker.ctx.services["accounts"]
    alice, wanda = accounts.find_user("alice"), accounts.find_user("wanda")
    bug, ui = tracker.label(name="bug"), tracker.label(name="ui", color="#00ff00")
    milestone = tracker.milestone()
    made = [
        service.create_issue(repository, alice, title="one", is_pull=True,
                             labels=service.labels_by_ids(repository, [bug["id"]])),
        service.create_issue(repository, wanda, title="two", is_pull=True,
                             labels=service.labels_by_ids(repository, [ui["id"]]),
                             milestone=service.milestone_by_id(repository, milestone["id"])),
        service.create_issue(repository, alice, title="three", is_pull=True),
        service.create_issue(repository, alice, title="four", is_pull=True, closed=True),
        service.create_issue(repository, alice, title="a plain issue"),
    ]
    return service, repository, made, {"bug": bug["id"], "ui": ui["id"],
                                        "milestone": milestone["id"], "wanda": wanda.id}


def _numbers(rows) -> list[int]:
    return [issue.number for issue in rows]


def test_the_pull_list_query_filters_the_callers_issue_ids(pulls_side):
    service, repository, made, ids = pulls_side
    every = [issue.id for issue in made]
    search = service.search_pull_issues
    assert _numbers(search(repository.id, every)) == [3, 2, 1]  # open pull issues, newest first
    assert _numbers(search(repository.id, every[1:])) == [3, 2]  # only the caller's ids
    assert _numbers(search(repository.id, every, state="closed")) == [4]
    assert _numbers(search(repository.id, every, state="all")) == [4, 3, 2, 1]  # never #5
    assert _numbers(search(repository.id, every, label_ids=[ids["bug"], ids["ui"]])) == [2, 1]
    assert _numbers(search(repository.id, every, milestone_id=ids["milestone"])) == [2]
    assert _numbers(search(repository.id, every, poster_id=ids["wanda"])) == [2]
    assert service.count_matching(search(repository.id, every, state="all")) == 4
    assert _numbers(search(repository.id + 1000, every)) == []


def test_the_pull_list_sort_orders(pulls_side):
    service, repository, made, _ = pulls_side
    every = [issue.id for issue in made]

    def order(sort: str) -> list[int]:
        return _numbers(service.search_pull_issues(repository.id, every, state="all", sort=sort))

    # The columns the orders read, set apart by whole seconds (the rows keep seconds).
    moment = datetime.datetime(2026, 1, 1, 12, 0, 0)
    Issue.update(updated_at=moment, num_comments=0).where(Issue.id.in_(every)).execute()
    Issue.update(num_comments=2).where(Issue.id == made[1].id).execute()
    Issue.update(num_comments=1).where(Issue.id == made[0].id).execute()
    Issue.update(updated_at=moment + datetime.timedelta(seconds=10)).where(
        Issue.id == made[2].id).execute()
    Issue.update(closed_at=moment).where(Issue.id == made[3].id).execute()
    Issue.update(is_closed=True, closed_at=moment + datetime.timedelta(seconds=5)).where(
        Issue.id == made[0].id).execute()
    assert order("oldest") == [1, 2, 3, 4]
    assert order("") == order("no such order") == [4, 3, 2, 1]
    assert order("recentupdate") == [3, 4, 2, 1] and order("leastupdate") == [1, 2, 4, 3]
    assert order("mostcomment") == [2, 1, 4, 3] and order("leastcomment") == [3, 4, 1, 2]
    assert order("recentclose") == [1, 4, 3, 2]  # closed most recently first, open ones last


def test_issue_rows_by_id_and_which_are_open(pulls_side):
    service, repository, made, _ = pulls_side
    found = service.issues_by_ids([made[1].id, made[3].id])
    assert {issue.number for issue in found.values()} == {2, 4}
    assert found[made[1].id].poster.name == "wanda"  # joined
    assert service.issues_by_ids([]) == {}
    open_ids = service.open_issue_ids([issue.id for issue in made])
    assert sorted(row.id for row in Issue.select(Issue.id).where(Issue.id.in_(open_ids))) == \
        sorted(issue.id for issue in made if issue.number != 4)


def test_the_presenter_takes_the_pull_request_parts_it_is_given(pulls_side, tracker):
    service, repository, made, _ = pulls_side
    part = {"merged": True, "merged_at": "2026-01-02T03:04:05Z", "draft": False,
            "html_url": "http://example.invalid/alice/tracker/pulls/1"}
    presenter = service.presenter(None, repository=repository)
    given, asked = presenter.issues([made[0], made[2]], pull_parts={made[0].id: part})
    assert given["pull_request"]["merged"] is True
    assert given["pull_request"]["merged_at"] == "2026-01-02T03:04:05Z"
    assert asked["pull_request"]["merged"] is False  # the hook's answer: no pull request row


def test_an_issue_by_number_joined_with_the_callers_row(pulls_side, tracker):
    from plue_issues.models import IssueLabel  # any table with an issue_id column stands in

    service, repository, made, ids = pulls_side
    found = service.find_issue_joined(repository, 1, IssueLabel.issue)
    assert found.number == 1 and found.poster.name == "alice" and found.repository is repository
    assert found.joined.label_id == ids["bug"]
    assert service.find_issue_joined(repository, 3, IssueLabel.issue) is None  # no such row
    assert service.find_issue_joined(repository, 99, IssueLabel.issue) is None
    assert service.find_issue_joined(repository, 2 ** 63, IssueLabel.issue) is None
