"""Issue dependencies, as Gitea keeps them: an issue (or pull request) *depends on* -- is
blocked by -- other issues, its own repository's or another's, and cannot be closed while one
of them is open (Gitea's ``ErrDependenciesLeft``: 412). Each link added or removed is an
``add_dependency`` / ``remove_dependency`` event on the timelines of both issues, naming the
other (``dependent_issue``). A repository switches them off with its internal tracker's
``enable_issue_dependencies``; closing is then never refused.

Gitea refuses only a link back to where it comes from (two issues blocking each other); Plue
refuses any cycle, since no issue of one could ever be closed."""

from __future__ import annotations

import peewee

from plue_core.constraints import still_there, unique_write
from plue_core.db import write_transaction
from plue_core.errors import Conflict, Invalid, NotFound, PreconditionFailed

from plue_issues import timeline
from plue_issues.issues import issues_with_posters
from plue_issues.models import Issue, IssueDependency, now

ADD_DEPENDENCY, REMOVE_DEPENDENCY = "add_dependency", "remove_dependency"


def dependencies_enabled(repository) -> bool:
    """Gitea's ``IsDependenciesEnabled``: the repository's issues are on and its internal
    tracker's ``enable_issue_dependencies`` (on unless switched off)."""
    if not repository.has_issues:
        return False
    return bool(repository.internal_tracker["enable_issue_dependencies"])


def _linked(issue_ids) -> peewee.ModelSelect:
    return Issue.select().where(Issue.id.in_(issue_ids))


def blocking(issue: Issue) -> peewee.ModelSelect:
    """The issues ``issue`` depends on (``GET .../dependencies``)."""
    return _linked(IssueDependency.select(IssueDependency.dependency)
                   .where(IssueDependency.issue == issue.id))


def blocked(issue: Issue) -> peewee.ModelSelect:
    """The issues that depend on ``issue`` (``GET .../blocks``)."""
    return _linked(IssueDependency.select(IssueDependency.issue)
                   .where(IssueDependency.dependency == issue.id))


def linked_repository_ids(query: peewee.ModelSelect) -> set[int]:
    """The repositories of the issues of :func:`blocking` or :func:`blocked`."""
    return {row[0] for row in query.select(Issue.repository).distinct().tuples()}


def readable_page(query: peewee.ModelSelect, issue: Issue, readable: dict[int, tuple]):
    """``query``'s issues of the readable repositories and units (``readable``: repository id
    -> the ``is_pull`` values the reader may see there), with their posters, ``issue``'s own
    repository first, then newest first (Gitea's order), as a query to page."""
    condition = None
    for repository_id, kinds in readable.items():
        if kinds:
            part = (Issue.repository == repository_id) & Issue.is_pull.in_(list(kinds))
            condition = part if condition is None else condition | part
    if condition is None:
        condition = Issue.id.in_([])
    own_first = peewee.Case(None, [(Issue.repository == issue.repository_id, 0)], 1)
    return (issues_with_posters().where(query._where & condition)
            .order_by(own_first, Issue.repository, Issue.created_at.desc(), Issue.id.desc()))


def require_none_open(issue: Issue) -> None:
    """Before closing ``issue``: 412 while an issue it depends on is open (where its
    repository has dependencies on), as Gitea's ``doChangeIssueStatus``."""
    if not dependencies_enabled(issue.repository):
        return
    if blocking(issue).where(Issue.is_closed == False).exists():  # noqa: E712
        kind = "pull request" if issue.is_pull else "issue"
        raise PreconditionFailed(f"cannot close this {kind} because it still has open "
                                 "dependencies")


def open_dependencies_left(issue: Issue) -> bool:
    """Whether closing ``issue`` would be refused (a commit's "Fixes #N" leaves it open)."""
    try:
        require_none_open(issue)
    except PreconditionFailed:
        return True
    return False


def _depends_on(start_id: int, target_id: int) -> bool:
    """Whether issue ``start_id`` depends on ``target_id``, directly or through others: one
    query per step of the chain."""
    seen, frontier = {start_id}, {start_id}
    while frontier:
        step = {row[0] for row in IssueDependency.select(IssueDependency.dependency)
                .where(IssueDependency.issue.in_(list(frontier))).tuples()}
        if target_id in step:
            return True
        frontier = step - seen
        seen |= step
    return False


def add_dependency(issue: Issue, dependency: Issue, doer) -> None:
    """Make ``issue`` depend on ``dependency``: 422 for itself or a cycle, 409 when it does
    already; both timelines record it, in one transaction."""
    if issue.id == dependency.id:
        raise Invalid("an issue cannot depend on itself")
    with unique_write("issue dependency does already exist", Conflict):
        # Both rows locked (PostgreSQL; SQLite's write transaction holds the database): two
        # requests linking the same pair either way round see each other's link.
        for issue_id in sorted((issue.id, dependency.id)):
            if not still_there(Issue, issue_id):
                raise NotFound("the issue does not exist")
        if IssueDependency.select().where((IssueDependency.issue == issue.id)
                                          & (IssueDependency.dependency == dependency.id)).exists():
            raise Conflict("issue dependency does already exist")
        if _depends_on(dependency.id, issue.id):
            raise Invalid("circular dependency: the dependency already depends on this issue")
        IssueDependency.create(issue=issue.id, dependency=dependency.id, user=doer.id,
                               created_at=now())
        _record(issue, dependency, doer, ADD_DEPENDENCY)


def remove_dependency(issue: Issue, dependency: Issue, doer) -> None:
    """Drop ``issue``'s dependency on ``dependency`` (404 when there is none)."""
    with write_transaction():
        removed = IssueDependency.delete().where((IssueDependency.issue == issue.id)
                                                 & (IssueDependency.dependency == dependency.id)
                                                 ).execute()
        if not removed:
            raise NotFound("issue dependency does not exist")
        _record(issue, dependency, doer, REMOVE_DEPENDENCY)


def _record(issue: Issue, dependency: Issue, doer, kind: str) -> None:
    """The event on both timelines, each naming the other issue (Gitea's
    ``createIssueDependencyComment``)."""
    timeline.record(issue, doer, kind, dependent_issue=dependency.id)
    timeline.record(dependency, doer, kind, dependent_issue=issue.id)


def readable_events(rows, issue: Issue, may_read) -> list:
    """The timeline ``rows`` without the dependency events whose other issue the viewer may
    not read (its repository, asked once each by ``may_read(repository_id)``, or its unit
    there): as a reference from there is left out. No query when no row names one."""
    linked = {row.dependent_issue_id for row in rows if row.dependent_issue_id}
    if not linked:
        return rows
    others = {row.id: row for row in Issue.select(Issue.id, Issue.repository, Issue.is_pull)
              .where(Issue.id.in_(list(linked)))}
    allowed: dict[tuple, bool] = {}
    kept = []
    for row in rows:
        other = others.get(row.dependent_issue_id) if row.dependent_issue_id else None
        if other is not None:
            key = (other.repository_id, other.is_pull)
            if key not in allowed:
                allowed[key] = may_read(*key)
            if not allowed[key]:
                continue
        kept.append(row)
    return kept
