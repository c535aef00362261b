"""Who takes part in an issue, as Gitea's notifications count them: its poster, whoever
commented on it or reviewed it, its assignees and the users @mentioned in it; and the latest
plain comment of each issue (a notification's ``latest_comment_url``)."""

from __future__ import annotations

import peewee

from plue_issues.models import Comment, Issue, IssueAssignee, IssueMention
from plue_issues.timeline import REVIEW

# Gitea's GetParticipantIDsByIssue: comments, code comments and reviews.
_PARTICIPATING_KINDS = ("comment", REVIEW)


def participant_ids(issue_id: int) -> set[int]:
    """The ids of the issue's participants, in one statement."""
    query = (Issue.select(Issue.poster).where((Issue.id == issue_id) & Issue.poster.is_null(False))
             | Comment.select(Comment.poster)
             .where((Comment.issue == issue_id) & Comment.kind.in_(_PARTICIPATING_KINDS)
                    & Comment.poster.is_null(False))
             | IssueAssignee.select(IssueAssignee.assignee).where(IssueAssignee.issue == issue_id)
             | IssueMention.select(IssueMention.user).where(IssueMention.issue == issue_id))
    return {row[0] for row in query.tuples()}


def latest_comment_ids(issue_ids) -> dict[int, int]:
    """Issue id -> its latest plain comment's id, for the issues that have one (one
    statement, none for no ids)."""
    issue_ids = list(issue_ids)
    if not issue_ids:
        return {}
    query = (Comment.select(Comment.issue, peewee.fn.MAX(Comment.id))
             .where(Comment.issue.in_(issue_ids) & (Comment.kind == "comment"))
             .group_by(Comment.issue))
    return dict(query.tuples())
