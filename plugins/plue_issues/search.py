"""Gitea's issue search across repositories (``GET /repos/issues/search``): the issues and
pull requests of every repository the caller may read -- the repositories a subquery, never a
list read first -- with the filters that make sense without a repository: state, type,
keyword, label and milestone names, updated since / before, the owner, and the caller's own
(created, assigned, mentioned). Newest first, as Gitea's ``SortByCreatedDesc``."""

from __future__ import annotations

import dataclasses
import datetime

import peewee

from plue_core.accounts.models import Account

from plue_issues.issues import issue_ids_labelled, issues_with_posters, keyword_condition
from plue_issues.models import Issue, IssueAssignee, IssueMention, Label, Milestone, Repository


@dataclasses.dataclass
class SearchFilters:
    state: str = "open"  # open | closed | all
    is_pull: bool | None = None
    keyword: str = ""
    label_names: list[str] = dataclasses.field(default_factory=list)
    milestone_names: list[str] = dataclasses.field(default_factory=list)
    since: datetime.datetime | None = None
    before: datetime.datetime | None = None
    owner_id: int | None = None
    poster_id: int | None = None
    assignee_id: int | None = None
    mentioned_id: int | None = None


def search(visible_repository_ids, filters: SearchFilters) -> peewee.ModelSelect:
    """The matching issues of the repositories in ``visible_repository_ids`` (a subquery)
    whose unit is on (issues, or pull requests for a pull), newest first, each with its
    poster and its repository (owner joined): one statement for a page."""
    owner = Account.alias("owner")
    query = (issues_with_posters().select_extend(Repository, owner)
             .switch(Issue).join(Repository, on=(Issue.repository == Repository.id),
                                 attr="repository")
             .join(owner, on=(Repository.owner == owner.id), attr="owner")
             .where(Issue.repository.in_(visible_repository_ids)
                    & ((Issue.is_pull & Repository.has_pull_requests)
                       | (~Issue.is_pull & Repository.has_issues))))
    if filters.state == "closed":
        query = query.where(Issue.is_closed == True)  # noqa: E712
    elif filters.state != "all":
        query = query.where(Issue.is_closed == False)  # noqa: E712
    if filters.is_pull is not None:
        query = query.where(Issue.is_pull == filters.is_pull)
    if filters.keyword:
        query = query.where(keyword_condition(filters.keyword))
    for name in filters.label_names:  # each name carried (by a label of that name anywhere)
        query = query.where(Issue.id.in_(issue_ids_labelled(
            Label.select(Label.id).where(Label.name == name))))
    if filters.milestone_names:
        query = query.where(Issue.milestone.in_(
            Milestone.select(Milestone.id).where(Milestone.title.in_(filters.milestone_names))))
    if filters.since is not None:
        query = query.where(Issue.updated_at >= filters.since)
    if filters.before is not None:
        query = query.where(Issue.updated_at <= filters.before)
    if filters.owner_id is not None:
        query = query.where(Repository.owner == filters.owner_id)
    if filters.poster_id is not None:
        query = query.where(Issue.poster == filters.poster_id)
    if filters.assignee_id is not None:
        query = query.where(Issue.id.in_(IssueAssignee.select(IssueAssignee.issue)
                                         .where(IssueAssignee.assignee == filters.assignee_id)))
    if filters.mentioned_id is not None:
        query = query.where(Issue.id.in_(IssueMention.select(IssueMention.issue)
                                         .where(IssueMention.user == filters.mentioned_id)))
    return query.order_by(Issue.created_at.desc(), Issue.id.desc())


def count(query: peewee.ModelSelect) -> int:
    """How many issues a :func:`search` query matches (its joins kept: the units and the
    owner are the repository's columns)."""
    return query.order_by().count()
