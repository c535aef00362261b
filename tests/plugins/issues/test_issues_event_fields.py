"""The issue events share one declaration of where and which issue (``IssueEvent``;
closing and reopening one more, ``IssueStateEvent``), and each keeps the field order
docs/issues.md documents: a listener's ``as_dict()`` is unchanged by the shared bases."""

from __future__ import annotations

import dataclasses

import pytest

from plue_issues.events import (
    IssueChangedEvent,
    IssueClosedEvent,
    IssueEvent,
    IssueOpenedEvent,
    IssueReopenedEvent,
)

WHERE = ["repository_id", "owner", "repository", "issue_id", "number", "title"]


@pytest.mark.parametrize("event, own", [
    (IssueOpenedEvent, ["poster_id", "poster", "private"]),
    (IssueClosedEvent, ["doer_id", "doer", "private"]),
    (IssueReopenedEvent, ["doer_id", "doer", "private"]),
    (IssueChangedEvent, ["is_pull", "action", "doer_id", "doer", "assignee", "private",
                         "changes"]),
])
def test_each_issue_event_lists_where_and_which_issue_then_its_own_fields(event, own):
    assert issubclass(event, IssueEvent)
    assert [field.name for field in dataclasses.fields(event)] == WHERE + own


def test_closing_and_reopening_differ_only_in_name():
    fields = dict(repository_id=1, owner="alice", repository="demo", issue_id=2, number=3,
                  title="t", doer_id=4, doer="bob")
    closed, reopened = IssueClosedEvent(**fields), IssueReopenedEvent(**fields)
    assert closed.as_dict() == {**reopened.as_dict(), "event": "issue_closed"}
    assert reopened.as_dict()["event"] == "issue_reopened"
    assert not isinstance(reopened, IssueClosedEvent)
