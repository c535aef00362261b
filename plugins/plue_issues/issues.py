"""The rules and queries of issues: a title, a due date, an issue by number, Gitea's issue
search. Creating, editing, closing and deleting them is the service's (``service.py``).

Pull requests are issues with ``is_pull`` set: the pulls plugin creates them through
``ctx.services["issues"]`` and shares everything here except the issue events.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools

import peewee

from plue_core.accounts.models import Account, ShownAccount
from plue_core.db import CompiledSelect, rows_from_json
from plue_core.errors import Invalid
from plue_core.validation import TITLE_MAX_LENGTH
from plue_core.integers import parse_id

from plue_issues import assignees as assignee_rules
from plue_issues import labels as label_rules
from plue_issues.models import (
    Comment, Issue, IssueAssignee, IssueLabel, IssueMention, Label, Milestone, Repository,
)

def check_title(title) -> str:
    title = (title or "").strip()
    if not title:
        raise Invalid("title: the title must not be empty")
    if len(title) > TITLE_MAX_LENGTH:
        raise Invalid(f"title: at most {TITLE_MAX_LENGTH} characters")
    return title


def open_counter(is_pull: bool) -> str:
    return "num_open_pulls" if is_pull else "num_open_issues"


def end_of_day(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Gitea keeps only the date of a due date, as the last second of that day."""
    if moment is None:
        return None
    return moment.replace(hour=23, minute=59, second=59, microsecond=0)


def event_fields(repository, issue: Issue) -> dict:
    return {"repository_id": repository.id, "owner": repository.owner.name,
            "repository": repository.name, "issue_id": issue.id, "number": issue.number,
            "title": issue.title, "private": bool(repository.is_private)}


# --- reading --------------------------------------------------------------------------------


def issues_with_posters():
    """Issues with their posters, as ``ShownAccount`` reads them: what the bodies render."""
    return (Issue.select(Issue, ShownAccount)
            .join(ShownAccount, peewee.JOIN.LEFT_OUTER, on=(Issue.poster == ShownAccount.id),
                  attr="poster"))


def _by_number(repository_id, number) -> peewee.ModelSelect:
    return (issues_with_posters().where((Issue.repository == repository_id)
                                        & (Issue.number == number)).limit(1))


# Every issue and pull request GET: compiled once (a wide join).
_BY_NUMBER = CompiledSelect(_by_number, int, int)


def with_labels_and_assignees(query: peewee.ModelSelect) -> peewee.ModelSelect:
    """``query``'s issues with their labels and assignees as two more columns, for a GET
    that renders one at once: one statement instead of three, each a round trip on
    PostgreSQL (issue 13). :func:`keep_labels_and_assignees` reads them back."""
    return query.select_extend(label_rules.labels_column(Issue.id).alias("label_rows"),
                               assignee_rules.assignees_column(Issue.id).alias("assignee_rows"))


def keep_labels_and_assignees(issue: Issue) -> Issue:
    """The two columns of :func:`with_labels_and_assignees` as ``read_labels`` and
    ``read_assignees``, which the presenter renders instead of reading them again."""
    issue.read_labels = rows_from_json(issue.label_rows, Label)
    issue.read_assignees = rows_from_json(issue.assignee_rows, ShownAccount)
    return issue


@functools.cache
def _by_number_with_parts(files_column) -> CompiledSelect:
    """The issue with its labels, assignees and files (``files_column``: the attachments
    service's ``issue_files_column``, the same function for every context)."""
    return CompiledSelect(
        lambda repository_id, number: with_labels_and_assignees(
            _by_number(repository_id, number)).select_extend(
                files_column(Issue.id).alias("file_rows")),
        int, int)


def find_issue(repository, number: int, *, with_parts=None) -> Issue | None:
    """``with_parts``: the attachments service, for a GET rendering the issue at once: its
    labels, assignees and files read with it, one statement (``read_files`` holds the files)."""
    if not 0 < number < 2 ** 63:  # no such number, and the database could not compare it
        return None
    read = (_by_number_with_parts(with_parts.issue_files_column) if with_parts is not None
            else _BY_NUMBER)
    issue = read.first(repository.id, number)
    if issue is not None:
        issue.repository = repository
        if with_parts is not None:
            keep_labels_and_assignees(issue)
            issue.read_files = with_parts.files_from_column(issue.file_rows)
    return issue


# --- searching ------------------------------------------------------------------------------


@dataclasses.dataclass
class IssueFilters:
    """Gitea's ``GET .../issues`` query: ``state`` open|closed|all; ``is_pull`` None for both."""

    state: str = "open"
    is_pull: bool | None = None
    label_names: list[str] = dataclasses.field(default_factory=list)
    # The web list's ``labels=1,2`` (every one of them) and ``milestone=3``: by id only.
    label_ids: list[int] = dataclasses.field(default_factory=list)
    milestones: list[str] = dataclasses.field(default_factory=list)
    milestone_id: int | None = None
    keyword: str = ""
    poster_id: int | None = None
    assignee_id: int | None = None
    mentioned_id: int | None = None
    since: datetime.datetime | None = None
    before: datetime.datetime | None = None


def _milestone_ids(repository, parts: list[str]) -> list[int]:
    """The repository's milestones named by ``parts``: titles first, then ids; unknown ones
    are discarded, as Gitea's ListIssues discards them (none known: no milestone filter)."""
    ids = [parse_id(part) for part in parts if parse_id(part) is not None]
    query = Milestone.select(Milestone.id, Milestone.title).where(
        (Milestone.repository == repository.id)
        & (Milestone.title.in_(parts) | Milestone.id.in_(ids)))
    rows = list(query)
    by_title = {row.title: row.id for row in rows}
    known_ids = {row.id for row in rows}
    found = []
    for part in parts:
        if part in by_title:
            found.append(by_title[part])
        elif parse_id(part) in known_ids:
            found.append(parse_id(part))
    return found


def count_matching(query) -> int:
    """How many issues a :func:`search_issues` query matches, counted without its poster join:
    its filters name issue columns only, and a join per row made the count of a large
    repository cost more than its page (issue 13)."""
    return Issue.select().where(query._where).count()


def issue_ids_labelled(label_ids) -> peewee.Query:
    """A subquery of the ids of the issues carrying any of ``label_ids``, for
    ``Issue.id.in_(...)`` (the issue list's and the pull list's ``labels`` filter)."""
    return IssueLabel.select(IssueLabel.issue).where(IssueLabel.label.in_(list(label_ids)))


def _by_state(query, repository_id, state: str, is_pull: bool | None):
    query = query.where(Issue.repository == repository_id)
    if state == "closed":
        query = query.where(Issue.is_closed == True)  # noqa: E712
    elif state != "all":
        query = query.where(Issue.is_closed == False)  # noqa: E712
    if is_pull is not None:
        query = query.where(Issue.is_pull == is_pull)
    return query


def _newest_first(query):
    return query.order_by(Issue.created_at.desc(), Issue.id.desc())


def keyword_condition(keyword: str):
    """Issues whose title, body or a plain comment contains ``keyword`` (a timeline event's
    body, "1" for a label added, is no text)."""
    in_comments = Comment.select(Comment.issue).where(
        (Comment.kind == "comment") & Comment.body.contains(keyword))
    return Issue.title.contains(keyword) | Issue.body.contains(keyword) | Issue.id.in_(in_comments)


def search_issues(repository, filters: IssueFilters):
    """A query of the repository's issues matching ``filters``, newest first."""
    query = _by_state(issues_with_posters(), repository.id, filters.state, filters.is_pull)
    names = [n for n in filters.label_names if n]
    for label_ids in label_rules.label_ids_by_name(repository, names).values():
        query = query.where(Issue.id.in_(issue_ids_labelled(label_ids)))
    for label_id in filters.label_ids:
        query = query.where(Issue.id.in_(issue_ids_labelled([label_id])))
    if filters.milestone_id is not None:
        query = query.where(Issue.milestone == filters.milestone_id)
    milestone_ids = _milestone_ids(repository, [p for p in filters.milestones if p])
    if milestone_ids:
        query = query.where(Issue.milestone.in_(milestone_ids))
    if filters.keyword:
        query = query.where(keyword_condition(filters.keyword))
    if filters.poster_id is not None:
        query = query.where(Issue.poster == filters.poster_id)
    if filters.assignee_id is not None:
        query = query.where(Issue.id.in_(IssueAssignee.select(IssueAssignee.issue)
                                         .where(IssueAssignee.assignee == filters.assignee_id)))
    if filters.mentioned_id is not None:
        query = query.where(Issue.id.in_(IssueMention.select(IssueMention.issue)
                                         .where(IssueMention.user == filters.mentioned_id)))
    if filters.since is not None:
        query = query.where(Issue.updated_at >= filters.since)
    if filters.before is not None:
        query = query.where(Issue.updated_at <= filters.before)
    return _newest_first(query)


# The list every client reads (``state`` and ``type`` only): its count and its page compiled
# once per combination of the two, as peewee compiled the wide joined page on every request
# (half of an issue list, issue 13). Built by the functions :func:`search_issues` uses.
_STATES = ("open", "closed", "all")
_PLAIN_COUNT = {
    (state, is_pull): CompiledSelect(
        lambda repository_id, state=state, is_pull=is_pull: _by_state(
            Issue.select(peewee.fn.COUNT(Issue.id)), repository_id, state, is_pull).tuples(), int)
    for state in _STATES for is_pull in (None, False, True)}
_PLAIN_PAGE = {
    (state, is_pull): CompiledSelect(
        lambda repository_id, limit, offset, state=state, is_pull=is_pull: _newest_first(
            _by_state(issues_with_posters(), repository_id, state, is_pull))
        .limit(limit).offset(offset), int, int, int)
    for state in _STATES for is_pull in (None, False, True)}


def issue_page(repository, filters: IssueFilters, limit: int, offset: int) -> tuple[int, list]:
    """How many issues match ``filters`` and the page of them at ``offset``, newest first,
    with their posters: :func:`search_issues` and :func:`count_matching`, compiled once for
    the lists that filter by state and type only."""
    state = filters.state if filters.state in _STATES else "open"
    plain = dataclasses.replace(filters, state="open", is_pull=None) == IssueFilters()
    if not plain:
        query = search_issues(repository, filters)
        return count_matching(query), list(query.limit(limit).offset(offset))
    key = (state, filters.is_pull)
    total = _PLAIN_COUNT[key].scalar(repository.id)
    return total, _PLAIN_PAGE[key].rows(repository.id, limit, offset)


# --- across repositories (the front page) ---------------------------------------------------


def issues_across(repository_ids, *, state: str = "open", is_pull: bool | None = None,
                  poster_id: int | None = None, issue_ids=None, limit: int = 20) -> list[Issue]:
    """Issues of the repositories in ``repository_ids`` (a subquery), newest first, with their
    poster and repository (owner joined) — the columns a list shows: id, number, title,
    is_pull, is_closed, created_at and the names; ``issue_ids``: a subquery narrowing them."""
    poster = Account.alias("poster")
    owner = Account.alias("owner")
    # Only the columns such a list shows: hydrating the wide rows of four tables cost more
    # than the query itself.
    query = (Issue.select(Issue.id, Issue.number, Issue.title, Issue.is_pull, Issue.is_closed,
                          Issue.created_at, Issue.repository, Issue.poster, poster.id, poster.name,
                          Repository.id, Repository.name, Repository.owner, owner.id, owner.name)
             .join(poster, peewee.JOIN.LEFT_OUTER, on=(Issue.poster == poster.id), attr="poster")
             .switch(Issue).join(Repository, on=(Issue.repository == Repository.id),
                                 attr="repository")
             .join(owner, on=(Repository.owner == owner.id), attr="owner")
             .where(Issue.repository.in_(repository_ids)))
    if state != "all":
        query = query.where(Issue.is_closed == (state == "closed"))
    if is_pull is not None:
        query = query.where(Issue.is_pull == is_pull)
    if poster_id is not None:
        query = query.where(Issue.poster == poster_id)
    if issue_ids is not None:
        query = query.where(Issue.id.in_(issue_ids))
    return list(query.order_by(Issue.created_at.desc(), Issue.id.desc()).limit(limit))


def comments_across(repository_ids, *, limit: int = 20) -> list[Comment]:
    """The latest comments on issues of ``repository_ids`` (a subquery), with their poster,
    issue and repository (owner joined) — the columns a feed shows (no body)."""
    poster = Account.alias("poster")
    owner = Account.alias("owner")
    query = (Comment.select(Comment.id, Comment.created_at, Comment.issue, Comment.poster,
                            poster.id, poster.name, Issue.id, Issue.number, Issue.title,
                            Issue.is_pull, Issue.repository, Repository.id, Repository.name,
                            Repository.owner, owner.id, owner.name)
             .join(poster, peewee.JOIN.LEFT_OUTER, on=(Comment.poster == poster.id), attr="poster")
             .switch(Comment).join(Issue, on=(Comment.issue == Issue.id), attr="issue")
             .join(Repository, on=(Issue.repository == Repository.id), attr="repository")
             .join(owner, on=(Repository.owner == owner.id), attr="owner")
             .where(Issue.repository.in_(repository_ids) & (Comment.kind == "comment")))
    return list(query.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(limit))
