"""Pinned issues and pull requests, as Gitea keeps them: a repository's administrators pin up
to ``[issues] max_pinned`` issues (and as many pull requests), shown first in that order.
``issue.pin_order`` is the place, 1 first, 0 when not pinned; the places of a repository's
pinned issues (or pulls) stay 1..N whatever is pinned, unpinned, moved or deleted, also when
two requests do so at once: each change takes the repository's issue counter row
(``issue_index``) first -- its lock on PostgreSQL, the database's write lock under SQLite's
``BEGIN IMMEDIATE`` -- and reads the places after it. Pinning and unpinning are ``pin`` /
``unpin`` events on the timeline (Gitea's comment types 36 and 37)."""

from __future__ import annotations

import peewee

from plue_core.db import is_sqlite, write_transaction
from plue_core.errors import BadRequest, Invalid

from plue_issues import timeline
from plue_issues.issues import issues_with_posters
from plue_issues.models import Issue, IssueIndex

PIN, UNPIN = "pin", "unpin"
# Gitea's ErrIssueMaxPinReached, word for word (its typo included: clients match it).
MAX_PINNED_MESSAGE = "the max number of pinned issues has been readched"


def _siblings(issue: Issue):
    """The condition selecting the issues sharing ``issue``'s list of pins."""
    return (Issue.repository == issue.repository_id) & (Issue.is_pull == issue.is_pull)


def _lock(issue: Issue) -> int:
    """Serialize pin changes of ``issue``'s repository; ``issue``'s place read after the lock
    (0: not pinned)."""
    if not is_sqlite(Issue._meta.database):
        (IssueIndex.select(IssueIndex.repository)
         .where(IssueIndex.repository == issue.repository_id).for_update().first())
    return Issue.select(Issue.pin_order).where(Issue.id == issue.id).scalar() or 0


def _count(issue: Issue) -> int:
    return Issue.select().where(_siblings(issue) & (Issue.pin_order > 0)).count()


def pin(issue: Issue, doer, max_pinned: int) -> None:
    """Pin ``issue`` last; nothing when it is pinned already; 400 past ``max_pinned``."""
    with write_transaction():
        if _lock(issue):
            return
        place = _count(issue) + 1
        if place > max_pinned:
            raise BadRequest(MAX_PINNED_MESSAGE)
        Issue.update(pin_order=place).where(Issue.id == issue.id).execute()
        timeline.record(issue, doer, PIN)
    issue.pin_order = place


def unpin(issue: Issue, doer) -> None:
    """Unpin ``issue`` (nothing when it is not pinned); the ones after it move up."""
    with write_transaction():
        if _close_gap(issue):
            timeline.record(issue, doer, UNPIN)
    issue.pin_order = 0


def forget(issue: Issue) -> None:
    """Inside a deletion's transaction: ``issue``'s place is given up (no event: the
    timeline goes with it)."""
    _close_gap(issue)


def _close_gap(issue: Issue) -> bool:
    place = _lock(issue)
    if not place:
        return False
    Issue.update(pin_order=0).where(Issue.id == issue.id).execute()
    (Issue.update(pin_order=Issue.pin_order - 1)
     .where(_siblings(issue) & (Issue.pin_order > place)).execute())
    return True


def move(issue: Issue, position: int) -> None:
    """Move pinned ``issue`` to ``position`` (past the last: last), the others between its
    old and new place moving by one; nothing when it is not pinned."""
    if position < 1:
        raise Invalid("position: the position can't be lower than 1")
    with write_transaction():
        place = _lock(issue)
        if not place:
            return
        position = min(position, _count(issue))
        if position < place:
            shift, between = Issue.pin_order + 1, Issue.pin_order.between(position, place - 1)
        elif position > place:
            shift, between = Issue.pin_order - 1, Issue.pin_order.between(place + 1, position)
        else:
            return
        Issue.update(pin_order=shift).where(_siblings(issue) & between).execute()
        Issue.update(pin_order=position).where(Issue.id == issue.id).execute()
    issue.pin_order = position


def pinned(repository, *, is_pull: bool) -> peewee.ModelSelect:
    """The pinned issues (or pull requests) of ``repository`` in their order, posters
    joined."""
    return (issues_with_posters()
            .where((Issue.repository == repository.id) & (Issue.is_pull == is_pull)
                   & (Issue.pin_order > 0))
            .order_by(Issue.pin_order))


def pin_allowed(repository, *, is_pull: bool, max_pinned: int) -> bool:
    """Whether one more may be pinned (Gitea's ``IsNewPinAllowed``)."""
    return Issue.select().where((Issue.repository == repository.id) & (Issue.is_pull == is_pull)
                                & (Issue.pin_order > 0)).count() < max_pinned
