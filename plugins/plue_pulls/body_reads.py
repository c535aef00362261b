"""What a ``PullRequest`` body needs besides its own row and its issue's parts: who merged it,
how many review comments it has (pending reviews' aside, as Gitea counts them) and who is
asked to review it (users, and teams with their ``org``), oldest request first. One statement
for a page of pull requests (a pull GET paid three, issue 13: on PostgreSQL each is a round
trip)."""

from __future__ import annotations

from typing import NamedTuple

import peewee

from plue_core.accounts.models import Account, Team
from plue_core.db import CompiledIdsSelect

from plue_pulls.models import PullRequest, Review, ReviewComment
from plue_pulls.review_requests import REQUEST


class BodyParts(NamedTuple):
    merger: Account | None
    review_comments: int
    requested_users: list
    requested_teams: list


# A pull request deleted since the caller read it (its repository deleted meanwhile).
NO_PARTS = BodyParts(None, 0, [], [])


def _parts(pull_ids):
    merger, reviewer, org = Account.alias(), Account.alias(), Account.alias()
    outer = peewee.JOIN.LEFT_OUTER
    counted = Review.alias()
    review_comments = (ReviewComment.select(peewee.fn.COUNT(ReviewComment.id))
                       .join(counted, on=(ReviewComment.review == counted.id))
                       .where((ReviewComment.pull == PullRequest.id) & (counted.state != "PENDING")))
    return (PullRequest.select(PullRequest.id, review_comments.alias("review_comment_count"),
                               merger, Review.id, Review.reviewer, Review.reviewer_team,
                               reviewer, Team, org)
            .join(merger, outer, on=(PullRequest.merged_by == merger.id), attr="merger")
            .switch(PullRequest)
            .join(Review, outer, on=((Review.pull == PullRequest.id) & (Review.state == REQUEST)),
                  attr="request")
            .join(reviewer, outer, on=(Review.reviewer == reviewer.id), attr="reviewer")
            .switch(Review).join(Team, outer, on=(Review.reviewer_team == Team.id),
                                 attr="reviewer_team")
            .join(org, outer, on=(Team.org == org.id), attr="org")
            .where(PullRequest.id.in_(pull_ids)).order_by(PullRequest.id, Review.id))


# Every pull request body (a pull GET, a list's page): compiled once per page size.
_PARTS = CompiledIdsSelect(_parts)


def body_parts(pull_ids: list[int]) -> dict[int, BodyParts]:
    """The parts of each pull request of ``pull_ids``, by id."""
    found: dict[int, BodyParts] = {}
    if not pull_ids:
        return found
    for row in _PARTS.rows(ids=list(dict.fromkeys(pull_ids))):
        parts = found.get(row.id)
        if parts is None:
            parts = found[row.id] = BodyParts(row.merger, row.review_comment_count or 0, [], [])
        request = row.request
        if request is None:
            continue
        if request.reviewer_team_id is not None:
            parts.requested_teams.append(request.reviewer_team)
        elif request.reviewer_id is not None:
            parts.requested_users.append(request.reviewer)
    return found
