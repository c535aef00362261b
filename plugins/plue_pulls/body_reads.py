"""What a ``PullRequest`` body needs besides its own row and its issue's parts: who merged it,
how many review comments it has (pending reviews' aside, as Gitea counts them) and who is
asked to review it (users, and teams with their ``org``), oldest request first. One statement
for a page of pull requests (a pull GET paid three, issue 13: on PostgreSQL each is a round
trip). The people as ``ShownAccount`` reads them: what their bodies render."""

from __future__ import annotations

from typing import NamedTuple

import peewee

from plue_core.accounts.models import Account, ShownAccount, Team
from plue_core.db import CompiledIdsSelect, json_rows, rows_from_json

from plue_pulls.models import PullRequest, Review, ReviewComment
from plue_pulls.review_requests import REQUEST


class BodyParts(NamedTuple):
    merger: Account | None
    review_comments: int
    requested_users: list
    requested_teams: list


# A pull request deleted since the caller read it (its repository deleted meanwhile).
NO_PARTS = BodyParts(None, 0, [], [])


def _review_comments() -> peewee.Select:
    """The review comments of the outer read's pull request, pending reviews' aside."""
    counted = Review.alias()
    return (ReviewComment.select(peewee.fn.COUNT(ReviewComment.id))
            .join(counted, on=(ReviewComment.review == counted.id))
            .where((ReviewComment.pull == PullRequest.id) & (counted.state != "PENDING")))


def _parts(pull_ids):
    merger, reviewer, org = ShownAccount.alias(), ShownAccount.alias(), ShownAccount.alias()
    outer = peewee.JOIN.LEFT_OUTER
    return (PullRequest.select(PullRequest.id, _review_comments().alias("review_comment_count"),
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


def body_columns() -> list:
    """The parts as columns of the read of one pull request's row (``PullRequest`` in it):
    JSON columns (``json_rows``) of who merged it, the users and the teams (each with its
    organization) asked to review it, oldest request first, and the count. A pull GET reads
    them with its issue: a statement fewer (issue 13). :func:`parts_of_columns` reads them."""
    merger, user, org = ShownAccount.alias(), ShownAccount.alias(), ShownAccount.alias()
    requested = (Review.pull == PullRequest.id) & (Review.state == REQUEST)
    teams = Team.select().join(Review, on=(Review.reviewer_team == Team.id)).where(requested)
    return [
        json_rows(merger.select().where(merger.id == PullRequest.merged_by), merger)
        .alias("merger_rows"),
        _review_comments().alias("review_comment_count"),
        json_rows(user.select().join(Review, on=(Review.reviewer == user.id))
                  .where(requested & Review.reviewer_team.is_null()).order_by(Review.id), user)
        .alias("requested_user_rows"),
        json_rows(teams.order_by(Review.id), Team).alias("requested_team_rows"),
        json_rows(org.select().join(Team, on=(Team.org == org.id))
                  .join(Review, on=(Review.reviewer_team == Team.id)).where(requested)
                  .order_by(Review.id), org).alias("requested_team_org_rows"),
    ]


def parts_of_columns(row) -> BodyParts:
    """The :class:`BodyParts` of a read with :func:`body_columns` (``row`` holds them)."""
    teams = rows_from_json(row.requested_team_rows, Team)
    for team, org in zip(teams, rows_from_json(row.requested_team_org_rows, ShownAccount), strict=True):
        team.org = org
    merger = rows_from_json(row.merger_rows, ShownAccount)
    return BodyParts(merger[0] if merger else None, row.review_comment_count or 0,
                     rows_from_json(row.requested_user_rows, ShownAccount), teams)
