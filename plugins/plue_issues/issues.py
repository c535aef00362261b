"""Issues: create (numbered per repository), read, edit, close / reopen, delete, search.

Pull requests are issues with ``is_pull`` set: the pulls plugin creates them through
``ctx.services["issues"]`` and shares everything here except the issue events.
"""

from __future__ import annotations

import dataclasses
import datetime

import peewee

from plue_core.accounts.models import Account
from plue_core.db import CompiledSelect, write_transaction
from plue_core.errors import Conflict, Forbidden, Invalid, NotFound, PreconditionFailed

from plue_issues import assignees as assignee_rules
from plue_issues import labels as label_rules
from plue_issues import milestones as milestone_rules
from plue_issues.access import RepositoryAccess
from plue_issues.events import (
    IssueClosedEvent, IssueOpenedEvent, IssueReopenedEvent, announce_change,
)
from plue_issues.mentions import record_mentions
from plue_issues.models import (
    Comment, Issue, IssueAssignee, IssueLabel, IssueMention, Label, Milestone, Repository, now,
)
from plue_issues.numbering import allocate_number

MAX_TITLE = 255


def check_title(title) -> str:
    title = (title or "").strip()
    if not title:
        raise Invalid("title: the title must not be empty")
    if len(title) > MAX_TITLE:
        raise Invalid(f"title: at most {MAX_TITLE} characters")
    return title


def open_counter(is_pull: bool) -> str:
    return "num_open_pulls" if is_pull else "num_open_issues"


def end_of_day(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Gitea keeps only the date of a due date, as the last second of that day."""
    if moment is None:
        return None
    return moment.replace(hour=23, minute=59, second=59, microsecond=0)


def _event_fields(repository, issue: Issue) -> dict:
    return {"repository_id": repository.id, "owner": repository.owner.name,
            "repository": repository.name, "issue_id": issue.id, "number": issue.number,
            "title": issue.title, "private": bool(repository.is_private)}


# --- reading --------------------------------------------------------------------------------


def issues_with_posters():
    return (Issue.select(Issue, Account)
            .join(Account, peewee.JOIN.LEFT_OUTER, on=(Issue.poster == Account.id)))


# Every issue and pull request GET: compiled once (a wide join).
_BY_NUMBER = CompiledSelect(
    lambda repository_id, number: issues_with_posters()
    .where((Issue.repository == repository_id) & (Issue.number == number)).limit(1), int, int)


def find_issue(repository, number: int) -> Issue | None:
    if not 0 < number < 2 ** 63:  # no such number, and the database could not compare it
        return None
    issue = _BY_NUMBER.first(repository.id, number)
    if issue is not None:
        issue.repository = repository
    return issue


def issue_by_id(hosting, issue_id: int) -> Issue | None:
    """The issue with its poster and its repository (owner joined), by id."""
    issue = issues_with_posters().where(Issue.id == issue_id).first()
    if issue is not None:
        issue.repository = hosting.get_repository_by_id(issue.repository_id)
    return issue


def get_issue(access: RepositoryAccess, number: int) -> Issue:
    """The issue or pull request ``number``; 404 when absent or its unit is off."""
    issue = find_issue(access.repository, number)
    if issue is None:
        raise NotFound(f"issue #{number} does not exist in {access.full_name}")
    access.require_unit(issue.is_pull)
    return issue


# --- writing --------------------------------------------------------------------------------


def create_issue(ctx, repository, poster: Account, *, title: str, body: str = "",
                 labels: list[Label] = (), assignees: list[Account] = (),
                 milestone: Milestone | None = None, due_date=None, ref: str = "",
                 is_pull: bool = False, closed: bool = False) -> Issue:
    """Number and insert an issue (or the issue row of a pull request) with its labels and
    assignees, bump the repository's open counter, announce it; all in one transaction (the
    caller's, when it has one)."""
    title = check_title(title)
    hosting = ctx.services["git_hosting"]
    with write_transaction():
        moment = now()
        issue = Issue.create(repository=repository.id, number=allocate_number(repository.id),
                             poster=poster.id, title=title, body=body or "", ref=ref or "",
                             is_pull=is_pull, milestone=milestone.id if milestone else None,
                             due_date=end_of_day(due_date), created_at=moment, updated_at=moment)
        issue.repository, issue.poster = repository, poster
        if labels:
            IssueLabel.insert_many([{"issue": issue.id, "label": label.id}
                                    for label in {label.id: label for label in labels}.values()]
                                   ).execute()
        if assignees:
            assignee_rules.set_assignees(issue.id, list(assignees))
        record_mentions(issue.id, body)
        hosting.adjust_counter(repository.id, open_counter(is_pull), +1)
        if not is_pull:
            ctx.events.publish(IssueOpenedEvent(**_event_fields(repository, issue),
                                                poster_id=poster.id, poster=poster.name))
        if closed:
            set_state(ctx, issue, closed=True, doer=poster)
    return issue


def set_state(ctx, issue: Issue, *, closed: bool, doer: Account) -> Issue:
    """Close or reopen: ``closed_at``, the repository's open counter and the event change
    together, once, even when two requests race to do the same. The ``issue_state_changing``
    hook takes part (the pulls plugin refuses or announces a pull request's change)."""
    if bool(issue.is_closed) == closed:
        return issue
    repository = issue.repository
    with write_transaction():
        moment = now()
        closed_at = moment if closed else None
        changed = (Issue.update(is_closed=closed, closed_at=closed_at, updated_at=moment)
                   .where((Issue.id == issue.id) & (Issue.is_closed == (not closed))).execute())
        issue.is_closed, issue.closed_at, issue.updated_at = closed, closed_at, moment
        if not changed:
            return issue
        ctx.plugins.hook.issue_state_changing(ctx=ctx, issue=issue,
                                              state="closed" if closed else "open", doer=doer)
        ctx.services["git_hosting"].adjust_counter(repository.id, open_counter(issue.is_pull),
                                                   -1 if closed else +1)
        if not issue.is_pull:
            event = IssueClosedEvent if closed else IssueReopenedEvent
            ctx.events.publish(event(**_event_fields(repository, issue),
                                     doer_id=doer.id, doer=doer.name))
    return issue


def edit_issue(ctx, access: RepositoryAccess, issue: Issue, changes: dict, doer: Account) -> Issue:
    """``EditIssueOption`` with Gitea's rules: the poster and writers may edit; only writers
    change assignees, milestone and due date (silently ignored for the poster); ``state`` is
    ``open`` or ``closed`` (anything else 412); a stale ``content_version`` is 409."""
    can_write = access.can_write(issue.is_pull)
    if issue.poster_id != doer.id and not can_write:
        raise Forbidden(f"only the poster or a writer of {access.full_name} may edit "
                        f"#{issue.number}")
    state = changes.get("state")
    if state is not None and issue.is_pull and _is_merged(ctx, issue):
        raise PreconditionFailed("cannot change state of this pull request, it was already merged")
    if state is not None and state not in ("open", "closed"):
        raise PreconditionFailed(f"unknown state: {state}")
    version = changes.get("content_version")
    if version is not None and version != issue.content_version:
        raise Conflict(f"issue #{issue.number} was changed meanwhile (content_version is "
                       f"{issue.content_version}, not {version}); reload and try again")
    updates: dict = {}
    if changes.get("title"):
        updates["title"] = check_title(changes["title"])
    if changes.get("ref") is not None:
        updates["ref"] = changes["ref"]
    if changes.get("body") is not None and changes["body"] != issue.body:
        updates["body"] = changes["body"]
        updates["content_version"] = issue.content_version + 1
    new_assignees = None
    if can_write:
        if changes.get("unset_due_date"):
            updates["due_date"] = None
        elif changes.get("due_date") is not None:
            updates["due_date"] = end_of_day(changes["due_date"])
        if "milestone" in changes and changes["milestone"] is not None:
            wanted = changes["milestone"]
            updates["milestone"] = (milestone_rules.milestone_by_id(access.repository, wanted).id
                                    if wanted else None)
        if changes.get("assignees") is not None or changes.get("assignee") is not None:
            logins = assignee_rules.logins_from_option(changes.get("assignee"),
                                                       changes.get("assignees"))
            new_assignees = assignee_rules.resolve_assignees(
                ctx.services["git_hosting"], ctx.services["accounts"], access.repository, logins)
    old_milestone = issue.milestone_id
    old_text = {"title": issue.title, "body": issue.body}
    old_assignees = ({user.id: user for user in
                      assignee_rules.assignees_for_issues([issue.id]).get(issue.id, [])}
                     if new_assignees is not None else {})
    with write_transaction():
        if updates or new_assignees is not None:
            updates["updated_at"] = now()
            Issue.update(**updates).where(Issue.id == issue.id).execute()
            for field, value in updates.items():
                setattr(issue, field if field != "milestone" else "milestone_id", value)
        if new_assignees is not None:
            assignee_rules.set_assignees(issue.id, new_assignees)
            chosen = {user.id: user for user in new_assignees}
            for user in [u for i, u in chosen.items() if i not in old_assignees]:
                announce_change(ctx, issue, "assigned", doer, assignee=user.name)
            for user in [u for i, u in old_assignees.items() if i not in chosen]:
                announce_change(ctx, issue, "unassigned", doer, assignee=user.name)
        edited = tuple((field, old_text[field]) for field in ("title", "body")
                       if field in updates and updates[field] != old_text[field])
        if edited and not issue.is_pull:  # a pull request's edits are the pulls plugin's
            announce_change(ctx, issue, "edited", doer, changes=edited)
        if "milestone" in updates and updates["milestone"] != old_milestone:
            announce_change(ctx, issue, "milestoned" if updates["milestone"] else "demilestoned",
                            doer)
        if "body" in updates:
            record_mentions(issue.id, updates["body"])
        if state is not None:
            set_state(ctx, issue, closed=state == "closed", doer=doer)
    return issue


def _is_merged(ctx, pull_issue: Issue) -> bool:
    """Whether the plugin owning pull requests says this one is merged (Gitea refuses any
    state in an edit of a merged pull request with 412, even the state it already has)."""
    answers = ctx.plugins.hook.issue_pull_request_meta(ctx=ctx, issues=[pull_issue])
    return any((answer or {}).get(pull_issue.id, {}).get("merged") for answer in answers)


def delete_issue(ctx, issue: Issue) -> None:
    """Delete an issue with its comments, labels, assignees and mentions (the number is not
    reused: the counter only grows)."""
    with write_transaction():
        if not issue.is_closed:
            ctx.services["git_hosting"].adjust_counter(issue.repository.id,
                                                       open_counter(issue.is_pull), -1)
        issue.delete_instance()


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
    """Names first, then ids; unknown ones are discarded (Gitea)."""
    ids = []
    for part in parts:
        milestone = Milestone.get_or_none((Milestone.repository == repository.id)
                                          & (Milestone.title == part))
        if milestone is not None:
            ids.append(milestone.id)
        elif part.isdigit():
            ids.append(int(part))
    return ids


def count_matching(query) -> int:
    """How many issues a :func:`search_issues` query matches, counted without its poster join:
    its filters name issue columns only, and a join per row made the count of a large
    repository cost more than its page (issue 13)."""
    return Issue.select().where(query._where).count()


def issue_ids_labelled(label_ids) -> peewee.Query:
    """A subquery of the ids of the issues carrying any of ``label_ids``, for
    ``Issue.id.in_(...)`` (the issue list's and the pull list's ``labels`` filter)."""
    return IssueLabel.select(IssueLabel.issue).where(IssueLabel.label.in_(list(label_ids)))


def search_issues(repository, filters: IssueFilters):
    """A query of the repository's issues matching ``filters``, newest first."""
    query = issues_with_posters().where(Issue.repository == repository.id)
    if filters.state == "closed":
        query = query.where(Issue.is_closed == True)  # noqa: E712
    elif filters.state != "all":
        query = query.where(Issue.is_closed == False)  # noqa: E712
    if filters.is_pull is not None:
        query = query.where(Issue.is_pull == filters.is_pull)
    names = [n for n in filters.label_names if n]
    for label_ids in label_rules.label_ids_by_name(repository, names).values():
        query = query.where(Issue.id.in_(issue_ids_labelled(label_ids)))
    for label_id in filters.label_ids:
        query = query.where(Issue.id.in_(issue_ids_labelled([label_id])))
    if filters.milestone_id is not None:
        query = query.where(Issue.milestone == filters.milestone_id)
    parts = [p for p in filters.milestones if p]
    if parts:
        query = query.where(Issue.milestone.in_(_milestone_ids(repository, parts) or [0]))
    if filters.keyword:
        in_comments = Comment.select(Comment.issue).where(Comment.body.contains(filters.keyword))
        query = query.where(Issue.title.contains(filters.keyword)
                            | Issue.body.contains(filters.keyword) | Issue.id.in_(in_comments))
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
    return query.order_by(Issue.created_at.desc(), Issue.id.desc())


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
