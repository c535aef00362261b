"""Who is told of an activity, and their threads written (Gitea's
CreateOrUpdateIssueNotifications): the repository's watchers and the issue's participants
(poster, commenters, reviewers, assignees, mentioned users) with the users who subscribed
to the issue and without those who unsubscribed — or the one receiver an
assignment or a review request names — never the doer, never someone who may not read the
repository. Each gets one thread per issue: created unread, or moved to the top with the
doer; a read thread turns unread again (naming the new comment), a pinned one stays pinned.

The cost does not grow with the audience: the watchers, the participants, the subscription
choices and the readers among them are a statement each, and the threads one upsert per
``CHUNK`` users."""

from __future__ import annotations

import peewee

from plue_core.db import utcnow

from plue_notifications.activities import Activity
from plue_notifications.models import Notification
from plue_notifications.statuses import ISSUE, PULL, READ, UNREAD

# Users written per statement: 9 values a row stays under SQLite's 32766 parameters.
CHUNK = 2000


def recipients(ctx, activity: Activity) -> set[int]:
    """The ids of the users to tell of ``activity``."""
    hosting = ctx.services["git_hosting"]
    if activity.receiver:
        user = ctx.services["accounts"].find_user(activity.receiver)
        candidates = {user.id} if user is not None else set()
    else:
        issues = ctx.services["issues"]
        candidates = set(hosting.watcher_ids(activity.repository_id))
        candidates |= issues.participant_ids(activity.issue_id)
        # An explicit choice wins (Gitea's issue_watch): subscribed users are told,
        # unsubscribed ones are not.
        subscribed, unsubscribed = issues.subscription_overrides(activity.issue_id)
        candidates = (candidates | subscribed) - unsubscribed
    candidates.discard(activity.doer_id)
    return hosting.readers_among(activity.repository_id, candidates)


def notify(ctx, activity: Activity) -> None:
    write_threads(sorted(recipients(ctx, activity)), activity)


def write_threads(user_ids: list[int], activity: Activity) -> None:
    moment = utcnow()
    source = PULL if activity.is_pull else ISSUE
    was_read = Notification.status == READ
    for start in range(0, len(user_ids), CHUNK):
        rows = [{"user": user_id, "repository": activity.repository_id,
                 "issue": activity.issue_id, "source": source, "status": UNREAD,
                 "comment_id": activity.comment_id, "updated_by": activity.doer_id,
                 "created_at": moment, "updated_at": moment}
                for user_id in user_ids[start:start + CHUNK]]
        (Notification.insert_many(rows)
         .on_conflict(conflict_target=[Notification.user, Notification.issue],
                      update={Notification.updated_by: activity.doer_id,
                              Notification.updated_at: moment,
                              Notification.status: peewee.Case(
                                  None, [(was_read, UNREAD)], Notification.status),
                              Notification.comment_id: peewee.Case(
                                  None, [(was_read, activity.comment_id)],
                                  Notification.comment_id)})
         .execute())
