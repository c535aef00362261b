"""Gitea's ``TrackedTime`` (with the ``Issue`` it was tracked on) and ``StopWatch``."""

from __future__ import annotations

from plue_core.accounts.models import ShownAccount
from plue_core.shapes import Shape, integer, string, time
from plue_core.timestamps import rfc3339

from plue_issues.models import Repository
from plue_issues.schemas.shapes import TRACKED_TIME_SHAPE
from plue_issues.time_tracking import elapsed_seconds, hours_and_minutes

STOPWATCH_SHAPE = Shape("StopWatch", [
    time("created", lambda s, _: rfc3339(s.created_at)),
    integer("seconds", lambda s, _: elapsed_seconds(s)),
    string("duration", lambda s, _: hours_and_minutes(elapsed_seconds(s))),
    integer("issue_index", "issue.number"),
    string("issue_title", "issue.title"),
    string("repo_owner_name", "issue.repository.owner.name"),
    string("repo_name", "issue.repository.name"),
])


def tracked_times_json(issues_service, viewer, rows, *, repository=None) -> list[dict]:
    """``TrackedTime``s of ``rows`` (``time_tracking.times_query``), each issue rendered once
    by a presenter of its repository: ``repository`` (owner joined) when all are of one, else
    the repositories read in one query. A page costs the same statements on any table size."""
    rows = list(rows)
    issues_by_repository: dict[int, dict] = {}
    for row in rows:
        issues_by_repository.setdefault(row.issue.repository_id, {}).setdefault(row.issue.id,
                                                                                row.issue)
    repositories = {repository.id: repository} if repository is not None else {}
    unread = [repository_id for repository_id in issues_by_repository
              if repository_id not in repositories]
    if unread:
        owner = ShownAccount.alias("repository_owner")
        repositories.update((repo.id, repo) for repo in Repository.select(Repository, owner).join(
            owner, on=(Repository.owner == owner.id), attr="owner").where(
            Repository.id.in_(unread)))
    rendered: dict[int, dict] = {}
    for repository_id, issues in issues_by_repository.items():
        presenter = issues_service.presenter(viewer, repository=repositories[repository_id])
        issue_rows = list(issues.values())
        rendered.update(zip((issue.id for issue in issue_rows), presenter.issues(issue_rows)))
    return TRACKED_TIME_SHAPE.many(rows, rendered)


def stopwatches_json(rows) -> list[dict]:
    return STOPWATCH_SHAPE.many(list(rows), None)
