"""A user's notification threads: the lists (Gitea's FindNotificationOptions), one thread,
and changing their status. A thread of a repository the user may no longer read is not
shown (nor counted, nor changed): ``visible`` is git_hosting's subquery of what they may
read, so a list costs the same statements however many threads the user has."""

from __future__ import annotations

import dataclasses
import datetime

import peewee

from plue_core.db import CompiledSelect, utcnow

from plue_notifications.models import Notification
from plue_notifications.statuses import UNREAD


@dataclasses.dataclass(frozen=True)
class ThreadFilter:
    """Which of a user's threads: ``statuses`` None for all; ``sources`` None for every
    kind; ``since`` / ``before`` bound ``updated_at`` (both inclusive, as Gitea's)."""

    user_id: int
    visible: object  # a subquery of repository ids
    statuses: tuple[int, ...] | None = None
    sources: tuple[str, ...] | None = None
    since: datetime.datetime | None = None
    before: datetime.datetime | None = None
    repository_id: int | None = None

    def condition(self):
        cond = (Notification.user == self.user_id) & Notification.repository.in_(self.visible)
        if self.statuses is not None:
            cond &= Notification.status.in_(self.statuses)
        if self.sources is not None:
            cond &= Notification.source.in_(self.sources)
        if self.since is not None:
            cond &= Notification.updated_at >= self.since
        if self.before is not None:
            cond &= Notification.updated_at <= self.before
        if self.repository_id is not None:
            cond &= Notification.repository == self.repository_id
        return cond


def threads(where: ThreadFilter):
    """The matching threads, the most recently updated first."""
    return (Notification.select().where(where.condition())
            .order_by(Notification.updated_at.desc(), Notification.id.desc()))


def count(where: ThreadFilter) -> int:
    return Notification.select().where(where.condition()).count()


def unread_count_query(visible) -> CompiledSelect:
    """How many unread threads a user has in what they may read (``visible(user_id)``: the
    subquery of one caller shape), compiled once: every signed-in web page asks it."""
    return CompiledSelect(lambda user_id: Notification.select(peewee.fn.COUNT(Notification.id))
                          .where((Notification.user == user_id) & (Notification.status == UNREAD)
                                 & Notification.repository.in_(visible(user_id))).tuples(), int)


def find_thread(thread_id: int, visible) -> Notification | None:
    """The thread, unless it is absent or of a repository its user may no longer read."""
    if not 0 < thread_id < 2 ** 63:
        return None
    return (Notification.select()
            .where((Notification.id == thread_id) & Notification.repository.in_(visible))
            .first())


def set_status(where: ThreadFilter, status: int) -> list[Notification]:
    """Give every matching thread ``status`` and move it to the top (Gitea's update stamps
    ``updated_at``); the changed threads, in the order the lists showed them: two
    statements however many they are."""
    changed = list(threads(where))
    if changed:
        moment = utcnow()
        Notification.update(status=status, updated_at=moment).where(where.condition()).execute()
        for thread in changed:
            thread.status, thread.updated_at = status, moment
    return changed


def set_thread_status(thread: Notification, status: int) -> Notification:
    thread.status, thread.updated_at = status, utcnow()
    Notification.update(status=status, updated_at=thread.updated_at).where(
        Notification.id == thread.id).execute()
    return thread
