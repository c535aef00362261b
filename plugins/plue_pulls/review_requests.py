"""Requested reviewers, stored as Gitea stores them: a review row of state ``REQUEST_REVIEW``
per requested user or team (``reviewer_team``, Gitea's ``ReviewerTeamID``), listed among the
pull request's reviews and dropped when that user, or a member of that team, submits a review.
Gitea's ``IsValidReviewRequest`` rules apply (each refusal is 422 naming the user):
organizations cannot review, the reviewer must be able to read the pull requests, the author
cannot be requested, and only the author or a writer may choose reviewers (a requested
reviewer may also withdraw their own request). Teams, as ``IsValidTeamReviewRequest``: a team
of the base repository's organization whose access reaches its pull requests, chosen or
withdrawn by the author or a writer (422 naming the team otherwise). Each request and
withdrawal is a ``review_request`` event on the timeline; a team's request tells each member
but the author (``review_requested`` per member, as Gitea's ``teamReviewRequestNotify``)."""

from __future__ import annotations

from typing import NamedTuple

import peewee

from plue_core.accounts.models import Account, Team, TeamMember
from plue_core.db import CompiledIdsSelect, utcnow, write_transaction
from plue_core.errors import Invalid, NotFound
from plue_core.identity import Identity

from plue_pulls.events import pull_request_event
from plue_pulls.models import PullRequest, Review

REQUEST = "REQUEST_REVIEW"


def _reviewers(service, logins: list[str]) -> list[Account]:
    found = {}
    for login in logins:
        user = service.accounts.find_user(login)
        if user is None:
            raise NotFound(f"reviewers: user {login!r} does not exist")
        found[user.id] = user
    return list(found.values())


def _can_read_pulls(service, repository, user: Account) -> bool:
    identity = Identity(user_id=user.id, username=user.name, is_admin=user.is_admin)
    return (bool(repository.has_pull_requests)
            and service.hosting.allows(identity, repository, "read"))


def _teams(service, repository, names: list[str]) -> list[Team]:
    """The teams named (case-insensitively) of ``repository``'s organization."""
    names = [name for name in dict.fromkeys(names or []) if name]
    if not names:
        return []
    if not repository.owner.is_organization:
        raise Invalid(f"team_reviewers: {repository.full_name} belongs to a user, not an "
                      f"organization: no team can review it ({', '.join(names)})")
    found = {}
    for name in names:
        team = service.accounts.team_named(repository.owner_id, name)
        if team is None:
            raise Invalid(f"team_reviewers: organization {repository.owner.name} has no team "
                          f"{name!r}")
        found[team.id] = team
    return list(found.values())


def _team_reads_pulls(service, team: Team) -> bool:
    # Every team of an organization reaches all its repositories (docs/git_hosting.md): what
    # can keep one out is its units.
    return service.accounts.units_map_of(team).get("repo.pulls", "none") != "none"


def _may_choose(access, pull, doer) -> bool:
    return pull.issue.poster_id == doer.id or access.can_write(True)


def request_reviews(service, access, pull, doer, logins: list[str],
                    team_reviewers: list[str]) -> list[Review]:
    """Add review requests; returns the new ones (users and teams already requested are
    skipped)."""
    users = _reviewers(service, logins)
    teams = _teams(service, pull.base_repository, team_reviewers)
    for user in users:
        if user.is_organization:
            raise Invalid(f"reviewers: organization {user.name} can't be added as reviewer")
        if not _can_read_pulls(service, pull.base_repository, user):
            raise Invalid(f"reviewers: {user.name} can't read the pull requests of "
                          f"{pull.base_repository.full_name}")
        if user.id == pull.issue.poster_id:
            raise Invalid(f"reviewers: {user.name} is the poster of the pull request and "
                          "can't be a reviewer")
    for team in teams:
        if not _team_reads_pulls(service, team):
            raise Invalid(f"team_reviewers: team {team.name} can't read the pull requests of "
                          f"{pull.base_repository.full_name}")
    if (users or teams) and not _may_choose(access, pull, doer):
        raise Invalid(f"reviewers: {doer.name} can't choose reviewers: only the poster or "
                      "a writer of the pull requests may")
    created = []
    with write_transaction():
        for user in users:
            if _requests(pull).where(Review.reviewer == user.id).exists():
                continue
            created.append(_create(pull, reviewer=user.id))
            service.issues.record_review_request(pull.issue, doer, user=user)
            service.ctx.events.publish(pull_request_event(pull, "review_requested", doer,
                                                          requested_reviewer=user.name))
        for team in teams:
            if _requests(pull).where(Review.reviewer_team == team.id).exists():
                continue
            created.append(_create(pull, reviewer_team=team.id))
            service.issues.record_review_request(pull.issue, doer, team=team)
            for member in service.accounts.team_members(team):
                if member.id != pull.issue.poster_id:
                    service.ctx.events.publish(pull_request_event(
                        pull, "review_requested", doer, requested_reviewer=member.name))
    return created


def _requests(pull):
    return Review.select().where((Review.pull == pull.id) & (Review.state == REQUEST))


def _create(pull, **reviewer) -> Review:
    moment = utcnow()
    return Review.create(pull=pull.id, state=REQUEST, official=False, created_at=moment,
                         updated_at=moment, **reviewer)


def withdraw_reviews(service, access, pull, doer, logins: list[str],
                     team_reviewers: list[str]) -> None:
    """Remove review requests; a user or team that was not requested is left alone, as in
    Gitea. Withdrawing a team's request tells nobody (Gitea notifies additions only)."""
    users = _reviewers(service, logins)
    teams = _teams(service, pull.base_repository, team_reviewers)
    for user in users:
        if not (_may_choose(access, pull, doer) or user.id == doer.id):
            raise Invalid(f"reviewers: {doer.name} can't remove {user.name}'s review request: "
                          "only the poster, a writer or the reviewer may")
    if teams and not _may_choose(access, pull, doer):
        raise Invalid(f"team_reviewers: {doer.name} can't remove a team's review request: "
                      "only the poster or a writer may")
    with write_transaction():
        for user in users:
            removed = Review.delete().where((Review.pull == pull.id) & (Review.state == REQUEST)
                                            & (Review.reviewer == user.id)).execute()
            if removed:
                service.issues.record_review_request(pull.issue, doer, user=user, removed=True)
                service.ctx.events.publish(pull_request_event(
                    pull, "review_request_removed", doer, requested_reviewer=user.name))
        for team in teams:
            removed = Review.delete().where((Review.pull == pull.id) & (Review.state == REQUEST)
                                            & (Review.reviewer_team == team.id)).execute()
            if removed:
                service.issues.record_review_request(pull.issue, doer, team=team, removed=True)


def clear_request(pull, reviewer_id: int) -> None:
    """A submitted review answers its author's request and the requests of the teams they are
    a member of (Gitea: a member's review replaces the team's pending request)."""
    their_teams = TeamMember.select(TeamMember.team).where(TeamMember.user == reviewer_id)
    Review.delete().where((Review.pull == pull.id) & (Review.state == REQUEST)
                          & ((Review.reviewer == reviewer_id)
                             | Review.reviewer_team.in_(their_teams))).execute()


class Requested(NamedTuple):
    users: list
    teams: list


def _requested_rows(pull_ids):
    reviewer, org = Account.alias(), Account.alias()
    outer = peewee.JOIN.LEFT_OUTER
    return (Review.select(Review.id, Review.pull, Review.reviewer, Review.reviewer_team,
                          reviewer, Team, org)
            .join(reviewer, outer, on=(Review.reviewer == reviewer.id), attr="reviewer")
            .switch(Review).join(Team, outer, on=(Review.reviewer_team == Team.id),
                                 attr="reviewer_team")
            .join(org, outer, on=(Team.org == org.id), attr="org")
            .where(Review.pull.in_(pull_ids) & (Review.state == REQUEST)).order_by(Review.id))


# Read by every pull request shape (a pull GET, a list's page), compiled once per page size:
# peewee built this three-way join on each request (issue 13).
_REQUESTED = CompiledIdsSelect(_requested_rows)


def requested_of(pull_ids: list[int]) -> dict[int, Requested]:
    """Who is asked to review a page of pull requests -- the users, and the teams (each with
    its ``org``) -- in one query, oldest request first."""
    result = {i: Requested([], []) for i in pull_ids}
    if not pull_ids:
        return result
    for row in _REQUESTED.rows(ids=list(dict.fromkeys(pull_ids))):
        if row.reviewer_team_id is not None:
            result[row.pull_id].teams.append(row.reviewer_team)
        elif row.reviewer_id is not None:
            result[row.pull_id].users.append(row.reviewer)
    return result


def teams_by_id(team_ids) -> dict[int, Team]:
    """Teams (each with its ``org``) by id: the ``team`` of review request bodies."""
    ids = [i for i in set(team_ids) if i is not None]
    if not ids:
        return {}
    return {team.id: team for team in Team.select(Team, Account)
            .join(Account, on=(Team.org == Account.id), attr="org").where(Team.id.in_(ids))}


def requestable_teams(service, repository) -> list[Team]:
    """The teams that may be asked to review ``repository``'s pull requests: its
    organization's teams whose access reaches them (none for a user's repository)."""
    if not repository.owner.is_organization:
        return []
    teams = Team.select().where(Team.org == repository.owner_id).order_by(Team.lower_name)
    return [team for team in teams if _team_reads_pulls(service, team)]


def requested_issue_ids(user_id: int):
    """A subquery of the issue ids of the pull requests awaiting ``user_id``'s review, asked
    of them or of a team they are a member of."""
    their_teams = TeamMember.select(TeamMember.team).where(TeamMember.user == user_id)
    return (PullRequest.select(PullRequest.issue_id).join(Review, on=(Review.pull == PullRequest.id))
            .where(((Review.reviewer == user_id) | Review.reviewer_team.in_(their_teams))
                   & (Review.state == REQUEST)))
