"""Requested reviewers, stored as Gitea stores them: a review row of state ``REQUEST_REVIEW``
per requested user, listed among the pull request's reviews and dropped when that user submits
a review. Gitea's ``IsValidReviewRequest`` rules apply (each refusal is 422 naming the user):
organizations cannot review, the reviewer must be able to read the pull requests, the author
cannot be requested, and only the author or a writer may choose reviewers (a requested
reviewer may also withdraw their own request)."""

from __future__ import annotations

from plue_core.accounts.models import Account
from plue_core.db import utcnow, write_transaction
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


def _check_teams(team_reviewers: list[str]) -> None:
    names = [name for name in team_reviewers or [] if name]
    if names:
        raise Invalid(f"team_reviewers: requesting reviews from teams is not supported: "
                      f"{', '.join(names)}")


def _may_choose(access, pull, doer) -> bool:
    return pull.issue.poster_id == doer.id or access.can_write(True)


def request_reviews(service, access, pull, doer, logins: list[str],
                    team_reviewers: list[str]) -> list[Review]:
    """Add review requests; returns the new ones (users already requested are skipped)."""
    _check_teams(team_reviewers)
    users = _reviewers(service, logins)
    for user in users:
        if user.is_organization:
            raise Invalid(f"reviewers: organization {user.name} can't be added as reviewer")
        if not _can_read_pulls(service, pull.base_repository, user):
            raise Invalid(f"reviewers: {user.name} can't read the pull requests of "
                          f"{pull.base_repository.full_name}")
        if user.id == pull.issue.poster_id:
            raise Invalid(f"reviewers: {user.name} is the poster of the pull request and "
                          "can't be a reviewer")
        if not _may_choose(access, pull, doer):
            raise Invalid(f"reviewers: {doer.name} can't choose reviewers: only the poster or "
                          "a writer of the pull requests may")
    created = []
    with write_transaction():
        moment = utcnow()
        for user in users:
            if Review.select().where((Review.pull == pull.id) & (Review.reviewer == user.id)
                                     & (Review.state == REQUEST)).exists():
                continue
            created.append(Review.create(pull=pull.id, reviewer=user.id, state=REQUEST,
                                         official=False, created_at=moment, updated_at=moment))
            service.ctx.events.publish(pull_request_event(pull, "review_requested", doer,
                                                          requested_reviewer=user.name))
    return created


def withdraw_reviews(service, access, pull, doer, logins: list[str],
                     team_reviewers: list[str]) -> None:
    """Remove review requests; a user who was not requested is left alone, as in Gitea."""
    _check_teams(team_reviewers)
    users = _reviewers(service, logins)
    for user in users:
        if not (_may_choose(access, pull, doer) or user.id == doer.id):
            raise Invalid(f"reviewers: {doer.name} can't remove {user.name}'s review request: "
                          "only the poster, a writer or the reviewer may")
    with write_transaction():
        for user in users:
            removed = Review.delete().where((Review.pull == pull.id) & (Review.state == REQUEST)
                                            & (Review.reviewer == user.id)).execute()
            if removed:
                service.ctx.events.publish(pull_request_event(
                    pull, "review_request_removed", doer, requested_reviewer=user.name))


def clear_request(pull, reviewer_id: int) -> None:
    """A submitted review answers its author's request."""
    Review.delete().where((Review.pull == pull.id) & (Review.reviewer == reviewer_id)
                          & (Review.state == REQUEST)).execute()


def requested_reviewers(pull_ids: list[int]) -> dict[int, list[Account]]:
    """The requested reviewers of a page of pull requests, in one query, oldest request first."""
    result: dict[int, list[Account]] = {i: [] for i in pull_ids}
    if not pull_ids:
        return result
    rows = (Account.select(Account, Review.pull.alias("on_pull"))
            .join(Review, on=(Review.reviewer == Account.id))
            .where(Review.pull.in_(pull_ids) & (Review.state == REQUEST))
            .order_by(Review.id).objects())
    for account in rows:
        result[account.on_pull].append(account)
    return result


def requested_issue_ids(user_id: int):
    """A subquery of the issue ids of the pull requests awaiting ``user_id``'s review."""
    return (PullRequest.select(PullRequest.issue_id).join(Review, on=(Review.pull == PullRequest.id))
            .where((Review.reviewer == user_id) & (Review.state == REQUEST)))
