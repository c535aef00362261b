"""Gitea's time tracking on issues and pull requests: tracked times (seconds a user spent,
added by hand or by stopping a stopwatch) and stopwatches (one running per user: starting
another stops the first, as Gitea does). Who may track is Gitea's ``CanUseTimetracker``: the
repository's ``internal_tracker`` settings (``enable_time_tracker``,
``allow_only_contributors_to_track_time``, both on unless set) and, when only contributors
may, writers, the issue's poster and its assignees. Gitea sends no webhook for them."""

from __future__ import annotations

import datetime

import peewee

from plue_core.accounts.models import Account, ShownAccount
from plue_core.constraints import unique_write
from plue_core.db import database, is_sqlite, write_transaction
from plue_core.errors import BadRequest, Conflict, Forbidden, NotFound

from plue_issues import timeline
from plue_issues.access import RepositoryAccess
from plue_issues.models import Issue, IssueAssignee, Repository, Stopwatch, TrackedTime, now

# Gitea's timeline comment types for time tracking, recorded in the change's transaction by
# the user whose time it is; the ones with a duration carry it as their body ("1 hour").
START_TRACKING, STOP_TRACKING, CANCEL_TRACKING = "start_tracking", "stop_tracking", "cancel_tracking"
ADD_TIME_MANUAL, DELETE_TIME_MANUAL = "add_time_manual", "delete_time_manual"


def tracker_enabled(repository) -> bool:
    return bool(repository.internal_tracker["enable_time_tracker"])


def may_track(access: RepositoryAccess, issue: Issue, user: Account) -> bool:
    """Gitea's ``CanUseTimetracker``."""
    if not tracker_enabled(access.repository):
        return False
    if not access.repository.internal_tracker["allow_only_contributors_to_track_time"]:
        return True
    return (access.can_write(issue.is_pull) or issue.poster_id == user.id
            or IssueAssignee.select().where((IssueAssignee.issue == issue.id)
                                            & (IssueAssignee.assignee == user.id)).exists())


def require_tracking(access: RepositoryAccess, issue: Issue, user: Account) -> None:
    """Adding or deleting times: 400 when the repository tracks no time, 403 when ``user``
    may not track (Gitea's answers)."""
    if not may_track(access, issue, user):
        if not tracker_enabled(access.repository):
            raise BadRequest("time tracking disabled")
        raise Forbidden(f"you may not track time on #{issue.number} of {access.full_name}")


def require_stopwatch_use(access: RepositoryAccess, issue: Issue, user: Account) -> None:
    """A stopwatch is for writers who may track (403 otherwise, a disabled tracker too)."""
    access.require_write(issue.is_pull, "use a stopwatch")
    if not may_track(access, issue, user):
        raise Forbidden(f"you may not track time on #{issue.number} of {access.full_name}")


def hours_and_minutes(seconds: int) -> str:
    """Gitea's ``SecToHours``: "1 hour 5 minutes", "3 hours"; under a minute, the seconds."""
    hours, minutes = seconds // 3600, seconds // 60 % 60
    parts = [f"{value} {unit}{'s' if value > 1 else ''}"
             for value, unit in ((hours, "hour"), (minutes, "minute")) if value > 0]
    if not parts and seconds > 0:
        parts = [f"{seconds} second{'s' if seconds > 1 else ''}"]
    return " ".join(parts)


# --- tracked times ---------------------------------------------------------------------------


def times_query(*, repository_id: int | None = None, issue_id: int | None = None,
                user_id: int | None = None, since: datetime.datetime | None = None,
                before: datetime.datetime | None = None) -> peewee.ModelSelect:
    """Tracked times in the order they were added, each with its user (``time.user``) and its
    issue with the issue's poster (``time.issue.poster``): what a ``TrackedTime`` shows.
    ``since`` / ``before`` bound ``created`` (inclusive), as Gitea's filters."""
    poster = ShownAccount.alias("issue_poster")
    query = (TrackedTime.select(TrackedTime, ShownAccount, Issue, poster)
             .join(ShownAccount, on=(TrackedTime.user == ShownAccount.id), attr="user")
             .switch(TrackedTime).join(Issue, on=(TrackedTime.issue == Issue.id), attr="issue")
             .join(poster, peewee.JOIN.LEFT_OUTER, on=(Issue.poster == poster.id),
                   attr="poster"))
    if repository_id is not None:
        query = query.where(Issue.repository == repository_id)
    if issue_id is not None:
        query = query.where(TrackedTime.issue == issue_id)
    if user_id is not None:
        query = query.where(TrackedTime.user == user_id)
    if since is not None:
        query = query.where(TrackedTime.created_at >= since)
    if before is not None:
        query = query.where(TrackedTime.created_at <= before)
    return query.order_by(TrackedTime.id)


def listed_user_id(access: RepositoryAccess, doer: Account,
                   user_id: int | None) -> int | None:
    """Whose times a list shows (None: everyone's): writers of the issues and site admins see
    everyone's or the ``user`` they ask for; others only their own (someone else's is 403)."""
    if doer.is_admin or user_id == doer.id or access.can_write(False):
        return user_id
    if user_id is None:
        return doer.id
    raise Forbidden("query by user not allowed; not enough rights")


def total_seconds(issue: Issue, timeline_rows=None) -> int:
    """Everything tracked on ``issue``, in seconds. ``timeline_rows``: its whole timeline, when
    the caller has it (the issue page): every time is tracked with an event there, so without
    one nothing is read (the page's statements stay what they were for untracked issues)."""
    if timeline_rows is not None and not any(
            row.kind in (STOP_TRACKING, ADD_TIME_MANUAL) for row in timeline_rows):
        return 0
    return int(_sum_of_times(TrackedTime.issue == issue.id) or 0)


def _sum_of_times(where):
    """The seconds of the times matching ``where`` (None when none). Each time may be any
    int64, as Gitea's: SQLite's SUM raises past 64 bits where its TOTAL (a float) does not;
    PostgreSQL's SUM of a BIGINT is a NUMERIC."""
    total = peewee.fn.TOTAL if is_sqlite(database) else peewee.fn.SUM
    count, seconds = (TrackedTime.select(peewee.fn.COUNT(TrackedTime.id), total(TrackedTime.time))
                      .where(where).tuples().get())
    return seconds if count else None


def add_time(issue: Issue, user: Account, seconds: int,
             created: datetime.datetime | None = None) -> TrackedTime:
    with write_transaction():
        tracked = TrackedTime.create(issue=issue.id, user=user.id, time=seconds,
                                     created_at=(created or now()).replace(microsecond=0))
        timeline.record(issue, user, ADD_TIME_MANUAL, body=hours_and_minutes(seconds),
                        tracked_time_id=tracked.id)
    tracked.issue, tracked.user = issue, user
    return tracked


def reset_times(issue: Issue, user: Account) -> None:
    """Delete everything ``user`` tracked on ``issue``; 404 when there is nothing."""
    mine = (TrackedTime.issue == issue.id) & (TrackedTime.user == user.id)
    with write_transaction():
        seconds = _sum_of_times(mine)
        if seconds is None:
            raise NotFound(f"no tracked time of {user.name} on #{issue.number}")
        TrackedTime.delete().where(mine).execute()
        timeline.record(issue, user, DELETE_TIME_MANUAL, body=hours_and_minutes(int(seconds)))


def delete_time(issue: Issue, doer: Account, time_id: int) -> None:
    """Delete one tracked time of ``issue``: the user's own, or any for a site admin."""
    tracked = TrackedTime.get_or_none((TrackedTime.id == time_id)
                                      & (TrackedTime.issue == issue.id))
    if tracked is None:
        raise NotFound(f"tracked time {time_id} does not exist on #{issue.number}")
    if not doer.is_admin and tracked.user_id != doer.id:
        raise Forbidden("only its user or a site administrator may delete a tracked time")
    with write_transaction():
        if TrackedTime.delete().where(TrackedTime.id == tracked.id).execute():
            timeline.record(issue, Account(id=tracked.user_id), DELETE_TIME_MANUAL,
                            body=hours_and_minutes(tracked.time))


# --- stopwatches -----------------------------------------------------------------------------


def elapsed_seconds(stopwatch: Stopwatch) -> int:
    """How long ``stopwatch`` has run, in whole seconds."""
    return max(int((now() - stopwatch.created_at).total_seconds()), 0)


def start_stopwatch(issue: Issue, user: Account) -> None:
    """Start ``user``'s stopwatch on ``issue`` (409 when it runs already), stopping the one
    they run on another issue first, which adds its time there."""
    already = "cannot start a stopwatch again if it already exists"
    with unique_write(already, Conflict):
        running = Stopwatch.get_or_none(Stopwatch.user == user.id)
        if running is not None:
            if running.issue_id == issue.id:
                raise Conflict(already)
            _finish(running, user)
        Stopwatch.create(issue=issue.id, user=user.id, created_at=now())
        timeline.record(issue, user, START_TRACKING)


def stop_stopwatch(issue: Issue, user: Account) -> TrackedTime:
    """Stop ``user``'s stopwatch on ``issue`` (409 when none runs): its time is tracked."""
    with write_transaction():
        return _finish(_running(issue, user, "cannot stop a non-existent stopwatch"), user)


def cancel_stopwatch(issue: Issue, user: Account) -> None:
    """Throw ``user``'s stopwatch on ``issue`` away (409 when none runs); nothing is tracked."""
    with write_transaction():
        stopwatch = _running(issue, user, "cannot cancel a non-existent stopwatch")
        Stopwatch.delete().where(Stopwatch.id == stopwatch.id).execute()
        timeline.record(issue, user, CANCEL_TRACKING)


def _running(issue: Issue, user: Account, message: str) -> Stopwatch:
    stopwatch = Stopwatch.get_or_none((Stopwatch.user == user.id) & (Stopwatch.issue == issue.id))
    if stopwatch is None:
        raise Conflict(message)
    return stopwatch


def _finish(stopwatch: Stopwatch, user: Account) -> TrackedTime:
    """In the caller's transaction: the stopwatch's time tracked (and on the timeline of its
    issue), the stopwatch gone."""
    if not Stopwatch.delete().where(Stopwatch.id == stopwatch.id).execute():
        raise Conflict("the stopwatch was stopped meanwhile")
    seconds = elapsed_seconds(stopwatch)
    tracked = TrackedTime.create(issue=stopwatch.issue_id, user=user.id, time=seconds,
                                 created_at=now())
    timeline.record(Issue(id=stopwatch.issue_id), user, STOP_TRACKING,
                    body=hours_and_minutes(seconds), tracked_time_id=tracked.id)
    return tracked


def stopwatches_query(user_id: int) -> peewee.ModelSelect:
    """The user's running stopwatches, each with its issue and the issue's repository (owner
    joined): what a ``StopWatch`` shows."""
    owner = ShownAccount.alias("repository_owner")
    return (Stopwatch.select(Stopwatch, Issue, Repository, owner)
            .join(Issue, on=(Stopwatch.issue == Issue.id), attr="issue")
            .join(Repository, on=(Issue.repository == Repository.id), attr="repository")
            .join(owner, on=(Repository.owner == owner.id), attr="owner")
            .where(Stopwatch.user == user_id).order_by(Stopwatch.id))
