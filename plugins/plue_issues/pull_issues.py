"""The issue side of pull requests, for the pulls plugin through ``ctx.services["issues"]``.

A pull request is an issue row (``is_pull``) plus the pulls plugin's own row, which keeps the
issue's id (``pull_request.issue_id``). The pulls plugin never reads the issue tables itself:
it asks here for an issue by number joined with its own row, for its list's issue rows
(Gitea's filters and sort orders, paged by the caller), for issue rows by id, and for which
of its issues are open, and loads its own rows for those ids. Each function is one statement
(or a subquery for the caller's statement).
"""

from __future__ import annotations

import functools

import peewee

from plue_core.accounts.models import ShownAccount
from plue_core.db import CompiledSelect

from plue_issues.issues import (
    issue_ids_labelled, issues_with_posters, keep_labels_and_assignees, with_labels_and_assignees,
)
from plue_issues.models import Issue

# Gitea's ``sort`` of ``GET .../pulls``; newest first when none (or an unknown one) is named.
PULL_SORTS = {
    "oldest": (Issue.created_at.asc(), Issue.id.asc()),
    "recentupdate": (Issue.updated_at.desc(), Issue.id.desc()),
    "leastupdate": (Issue.updated_at.asc(), Issue.id.asc()),
    "mostcomment": (Issue.num_comments.desc(), Issue.id.desc()),
    "leastcomment": (Issue.num_comments.asc(), Issue.id.asc()),
    "recentclose": (Issue.closed_at.desc(nulls="LAST"), Issue.id.desc()),
}
NEWEST = (Issue.created_at.desc(), Issue.id.desc())


def search_pull_issues(repository_id: int, issue_ids, *, state: str = "open",
                       label_ids=(), milestone_id: int = 0, poster_id: int | None = None,
                       sort: str = "") -> peewee.ModelSelect:
    """The issue rows (poster joined) of the pull requests of ``repository_id`` among
    ``issue_ids`` -- a subquery of the caller's own table, narrowed by its own columns (the
    base branch) -- matching Gitea's pull list query: ``state`` open|closed|all, any of
    ``label_ids``, ``milestone_id`` (0: any), ``poster_id``; in the order ``sort`` names.
    The caller pages it and counts it with ``count_matching``."""
    query = issues_with_posters().where((Issue.repository == repository_id)
                                        & (Issue.is_pull == True)  # noqa: E712
                                        & Issue.id.in_(issue_ids))
    if state == "closed":
        query = query.where(Issue.is_closed == True)  # noqa: E712
    elif state != "all":
        query = query.where(Issue.is_closed == False)  # noqa: E712
    if label_ids:
        query = query.where(Issue.id.in_(issue_ids_labelled(label_ids)))
    if milestone_id:
        query = query.where(Issue.milestone == milestone_id)
    if poster_id is not None:
        query = query.where(Issue.poster == poster_id)
    return query.order_by(*PULL_SORTS.get(sort, NEWEST))


@functools.cache
def _by_number_joined(issue_id_column, with_parts: bool, columns) -> CompiledSelect:
    # Every pull request GET: compiled once per caller's column.
    joined = issue_id_column.model

    def build(repository_id, number):
        query = (Issue.select(Issue, ShownAccount, joined, *(columns() if columns else ()))
                 .join(ShownAccount, peewee.JOIN.LEFT_OUTER, on=(Issue.poster == ShownAccount.id),
                       attr="poster")
                 .switch(Issue).join(joined, on=(issue_id_column == Issue.id), attr="joined")
                 .where((Issue.repository == repository_id) & (Issue.number == number)).limit(1))
        return with_labels_and_assignees(query) if with_parts else query

    return CompiledSelect(build, int, int)


def find_issue_joined(repository, number: int, issue_id_column, *, with_parts: bool = False,
                      columns=None):
    """The issue ``number`` of ``repository`` (poster joined, ``repository`` set) with the
    caller's row whose ``issue_id_column`` (a field of the caller's model) holds its id, as
    ``issue.joined``; None when either is missing. One statement: a pull request GET, which
    reads the issue's labels and assignees with it (``with_parts``: it renders it at once)
    and the caller's own ``columns()`` over its model (aliased: attributes of the issue)."""
    if not 0 < number < 2 ** 63:  # no such number, and the database could not compare it
        return None
    issue = _by_number_joined(issue_id_column, with_parts, columns).first(repository.id, number)
    if issue is not None:
        issue.repository = repository
        if with_parts:
            keep_labels_and_assignees(issue)
    return issue


def issues_by_ids(issue_ids) -> dict[int, Issue]:
    """The issues with these ids (poster joined; ``repository`` left for the caller, who
    knows it), by id: one statement, none for no ids."""
    issue_ids = list(issue_ids)
    if not issue_ids:
        return {}
    return {issue.id: issue for issue in issues_with_posters().where(Issue.id.in_(issue_ids))}


def open_issue_ids(issue_ids) -> peewee.Query:
    """The open ones among ``issue_ids`` (a subquery or a list), as a subquery for the
    caller's ``issue_id.in_(...)``: the state of an issue lives only in its row."""
    return Issue.select(Issue.id).where(Issue.id.in_(issue_ids)
                                        & (Issue.is_closed == False))  # noqa: E712
