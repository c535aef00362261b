"""Issue subscriptions, as Gitea's ``issue_watch``: a user's explicit choice about an issue's
notifications wins -- subscribed or unsubscribed; without one, the issue's participants
(``participants.py``) and the repository's watchers count as subscribed (Gitea's
``CheckIssueWatch``). The notifications plugin applies the choices through the service
(``subscription_overrides``); the rows go with their issue or user (``ON DELETE CASCADE``)."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account
from plue_core.constraints import create_or_update
from plue_core.db import write_transaction

from plue_issues.models import IssueWatch, now
from plue_issues.participants import participant_ids


def explicit_choice(issue_id: int, user_id: int) -> bool | None:
    """The user's explicit choice about the issue: True / False, None when they made none."""
    return (IssueWatch.select(IssueWatch.is_watching)
            .where((IssueWatch.issue == issue_id) & (IssueWatch.user == user_id)).scalar())


def is_subscribed(issue, user_id: int | None, watcher_ids) -> bool:
    """Whether ``user_id`` (None: anonymous, never) gets the issue's notifications;
    ``watcher_ids``: a callable giving the repository's watchers' ids, asked only when the
    user made no choice and takes no part in the issue."""
    if user_id is None:
        return False
    chosen = explicit_choice(issue.id, user_id)
    if chosen is not None:
        return chosen
    return user_id in participant_ids(issue.id) or user_id in watcher_ids(issue.repository_id)


def choose(issue_id: int, user_id: int, watching: bool) -> None:
    """Record the user's explicit choice (replacing an earlier one)."""
    def write() -> None:
        with write_transaction():
            changed = (IssueWatch.update(is_watching=watching, updated_at=now())
                       .where((IssueWatch.issue == issue_id) & (IssueWatch.user == user_id))
                       .execute())
            if not changed:
                IssueWatch.create(issue=issue_id, user=user_id, is_watching=watching)
    create_or_update(write)  # two at once: the second replaces the first's row


def subscribers(issue_id: int) -> peewee.ModelSelect:
    """The users who subscribed to the issue explicitly, active and allowed to sign in, in
    the order they did (Gitea's ``GetIssueWatchers``), as a query to page."""
    return (Account.select().join(IssueWatch, on=IssueWatch.user == Account.id)
            .where((IssueWatch.issue == issue_id) & IssueWatch.is_watching
                   & Account.active & ~Account.prohibit_login)
            .order_by(IssueWatch.id))


def overrides(issue_id: int) -> tuple[set[int], set[int]]:
    """The ids of the users who subscribed to the issue explicitly and of those who
    unsubscribed (one statement): whom notifications add and leave out."""
    subscribed, unsubscribed = set(), set()
    for user_id, watching in (IssueWatch.select(IssueWatch.user, IssueWatch.is_watching)
                              .where(IssueWatch.issue == issue_id).tuples()):
        (subscribed if watching else unsubscribed).add(user_id)
    return subscribed, unsubscribed
