"""What the forge is doing, read from the database at request time: runs and jobs by status,
runners, users, repositories. The actions and git_hosting tables are read through
``ctx.models`` (read-only), so a disabled plugin only makes its numbers null."""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

import peewee

from plue_core.db import utcnow

# Gitea's run/job status codes (models/actions/status.go), as the actions plugin stores them.
STATUS_LABELS = {0: "unknown", 1: "success", 2: "failure", 3: "cancelled", 4: "skipped",
                 5: "waiting", 6: "running", 7: "blocked"}
SUCCESS, FAILURE, CANCELLED, RUNNING = 1, 2, 3, 6
FINISHED = (SUCCESS, FAILURE, CANCELLED)  # skipped jobs never ran


def model(ctx, table: str):
    entry = ctx.models.get(table)
    return entry[1] if entry else None


def visible_repository_ids(ctx, identity):
    """The ids of the repositories ``identity`` may read, as a subquery: git_hosting's one
    visibility rule (the RunnerHub jobs list uses it too); admins see every repository."""
    return ctx.services["git_hosting"].visible_repository_ids(identity)


def by_status(ctx, table: str, repository_ids=None) -> dict[str, int] | None:
    """``{label: count}`` of every status (zeros included), counting only rows of the
    repositories in ``repository_ids`` when given; None without the table."""
    rows = model(ctx, table)
    if rows is None:
        return None
    counts = {label: 0 for label in STATUS_LABELS.values()}
    query = rows.select(rows.status, peewee.fn.COUNT(rows.id)).group_by(rows.status)
    if repository_ids is not None:
        query = query.where(rows.repository_id.in_(repository_ids))
    for status, count in query.tuples():
        counts[STATUS_LABELS.get(status, "unknown")] += count
    return counts


class RunnerCounts(NamedTuple):
    """Registered runners; online = contacted within actions' runner_offline_after; busy =
    holding a running task."""
    total: int
    online: int
    busy: int

    @property
    def offline(self) -> int:
        return self.total - self.online


class Failure(NamedTuple):
    """A failed job (its run joined) and its repository's full name."""
    job: Any
    repository: str


def runner_counts(ctx) -> RunnerCounts | None:
    """The runners' counts; None without actions."""
    runners, tasks = model(ctx, "action_runner"), model(ctx, "action_task")
    if runners is None or tasks is None:
        return None
    offline_after = ctx.section("actions").get("runner_offline_after", 60)
    since = utcnow() - datetime.timedelta(seconds=offline_after)
    # One statement (a round trip each on PostgreSQL): the three counts as subqueries.
    total = runners.select(peewee.fn.COUNT(runners.id))
    online = runners.select(peewee.fn.COUNT(runners.id)).where(runners.last_online >= since)
    busy = tasks.select(peewee.fn.COUNT(tasks.runner_id.distinct())).where(
        (tasks.status == RUNNING) & tasks.runner_id.is_null(False))
    row = peewee.Select(columns=[total, online, busy]).bind(runners._meta.database).tuples()
    return RunnerCounts(*(count or 0 for count in row.get()))


def active_jobs(ctx) -> int | None:
    """Jobs running now: actions jobs, plus RunnerHub's external jobs a runner holds
    (assigned or running)."""
    jobs = by_status(ctx, "action_run_job")
    if jobs is None:
        return None
    external = model(ctx, "runnerhub_external_job")
    held = external.select().where(external.status.in_(("assigned", "running"))).count() \
        if external is not None else 0
    return jobs["running"] + held


def jobs_finished_today(ctx) -> tuple[int, float | None] | None:
    """Jobs that finished (success, failure, cancelled) since 00:00 UTC, and their mean
    duration in seconds (started -> stopped) when any has both times; RunnerHub's external
    jobs count too."""
    jobs = model(ctx, "action_run_job")
    if jobs is None:
        return None
    midnight = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = list(jobs.select(jobs.started, jobs.stopped)
                .where(jobs.status.in_(FINISHED) & (jobs.stopped >= midnight)).tuples())
    external = model(ctx, "runnerhub_external_job")
    if external is not None:
        rows.extend(external.select(external.started, external.stopped)
                    .where(external.status.in_(("completed", "failed"))
                           & ((external.result != "skipped") | external.result.is_null())
                           & (external.stopped >= midnight)).tuples())
    durations, count = [], 0
    for started, stopped in rows:
        count += 1
        if started is not None and stopped is not None and stopped >= started:
            durations.append((stopped - started).total_seconds())
    return count, (round(sum(durations) / len(durations), 1) if durations else None)


def count_rows(ctx, table: str, where=None) -> int | None:
    rows = model(ctx, table)
    if rows is None:
        return None
    query = rows.select()
    if where is not None:
        query = query.where(where(rows))
    return query.count()


def users(ctx) -> int | None:
    return count_rows(ctx, "account", lambda a: a.type == "user")


def repositories(ctx) -> int | None:
    return count_rows(ctx, "repository")


def recent_failures(ctx, identity, limit: int = 10) -> list[Failure] | None:
    """The newest failed jobs in repositories ``identity`` may read (others are skipped)."""
    jobs, runs = model(ctx, "action_run_job"), model(ctx, "action_run")
    hosting = ctx.services.get("git_hosting")
    if jobs is None or runs is None or hosting is None:
        return None
    # The repository's and its owner's names joined: none read row by row.
    repositories, accounts = model(ctx, "repository"), model(ctx, "account")
    query = (jobs.select(jobs, runs, repositories.name, accounts.name)
             .join(runs, on=(jobs.run == runs.id))
             .switch(jobs).join(repositories, on=(jobs.repository_id == repositories.id),
                                attr="failed_in")
             .join(accounts, on=(repositories.owner == accounts.id), attr="owned_by")
             .where((jobs.status == FAILURE)
                    & jobs.repository_id.in_(visible_repository_ids(ctx, identity)))
             .order_by(jobs.stopped.desc(nulls="LAST"), jobs.id.desc()).limit(limit))
    return [Failure(job, f"{job.failed_in.owned_by.name}/{job.failed_in.name}")
            for job in query]
