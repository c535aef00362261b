"""Pull requests: open (an issue numbered in the base repository plus the head and base,
see ``heads``), find, list, edit, close and reopen, and the ``pull_request`` events they
publish."""

from __future__ import annotations

import dataclasses

import peewee

from plue_core.accounts.models import Account
from plue_core.db import CompiledSelect, utcnow, write_transaction
from plue_core.errors import Conflict, Forbidden, Invalid, NotFound, PreconditionFailed
from plue_core.integers import parse_id

from plue_pulls import refs
from plue_pulls.events import pull_request_event
from plue_pulls.heads import branch_or_refusal, resolve_head
from plue_pulls.models import Issue, PullRequest

# Gitea's WORK_IN_PROGRESS_PREFIXES: such a title makes a draft that cannot be merged.
WIP_PREFIXES = ("WIP:", "[WIP]")


def is_draft(title: str) -> bool:
    upper = (title or "").upper()
    return any(upper.startswith(prefix) for prefix in WIP_PREFIXES)


# --- reading ------------------------------------------------------------------------------


def with_issue():
    """Pull requests with their issue and its poster (one query for a page); add ``where``
    and ``order_by``. Used by this module and by the mergeability check."""
    return (PullRequest.select(PullRequest, Issue, Account)
            .join(Issue, on=(PullRequest.issue == Issue.id))
            .join(Account, peewee.JOIN.LEFT_OUTER, on=(Issue.poster == Account.id)))


def attach_repositories(service, pulls: list[PullRequest], base_repository) -> list[PullRequest]:
    """Set ``base_repository`` (known) and ``head_repository`` (one lookup per fork)."""
    heads: dict[int, object] = {base_repository.id: base_repository}
    for pull in pulls:
        pull.base_repository = base_repository
        pull.issue.repository = base_repository
        head_id = pull.head_repository_id
        if head_id is not None:
            if head_id not in heads:
                heads[head_id] = service.hosting.get_repository_by_id(head_id)
            pull.head_repository = heads[head_id]
    return pulls


# Every pull request GET: compiled once (a wide three-table join).
_BY_NUMBER = CompiledSelect(
    lambda repository_id, number: with_issue()
    .where((PullRequest.base_repository == repository_id) & (Issue.number == number)).limit(1),
    int, int)


def find_pull(repository, number: int) -> PullRequest | None:
    """The pull request numbered ``number`` in ``repository`` (its issue joined)."""
    if not 0 < number < 2 ** 63:  # no such number, and the database could not compare it
        return None
    return _BY_NUMBER.first(repository.id, number)


def get_pull(service, access, number) -> PullRequest:
    """For the routes: 404 when ``number`` is not a pull request here (or not a number)."""
    if (index := parse_id(number)) is None:  # the path segment is shared with {base}/{head}
        raise NotFound(f"pull request {number!r} does not exist: the index must be a number "
                       f"(a 64-bit integer)")
    number = index
    access.require_unit(True)
    pull = find_pull(access.repository, number)
    if pull is None:
        raise NotFound(f"pull request #{number} does not exist in {access.full_name}")
    return attach_repositories(service, [pull], access.repository)[0]


def _open_pulls(head_repository_id, head_branch, base_repository_id, base_branch):
    return with_issue().where(
        (PullRequest.head_repository == head_repository_id) & (PullRequest.head_branch == head_branch)
        & (PullRequest.base_repository == base_repository_id) & (PullRequest.base_branch == base_branch)
        & (PullRequest.is_merged == False) & (Issue.is_closed == False))  # noqa: E712


# Every comparison page asks it (a wide join): compiled once.
_OPEN_PULL = CompiledSelect(lambda *ends: _open_pulls(*ends).limit(1), int, str, int, str)


def open_pull_for(head_repository_id: int, head_branch: str, base_repository_id: int,
                  base_branch: str, *, except_id: int | None = None) -> PullRequest | None:
    if except_id is None:
        return _OPEN_PULL.first(head_repository_id, head_branch, base_repository_id, base_branch)
    return _open_pulls(head_repository_id, head_branch, base_repository_id, base_branch).where(
        PullRequest.id != except_id).first()


def latest_pull_for(head_repository_id: int, head_branch: str, base_repository_id: int,
                    base_branch: str) -> PullRequest | None:
    """The open pull request joining head and base, else the most recent one."""
    return (with_issue().where(
        (PullRequest.head_repository == head_repository_id) & (PullRequest.head_branch == head_branch)
        & (PullRequest.base_repository == base_repository_id) & (PullRequest.base_branch == base_branch))
        .order_by(Issue.is_closed, PullRequest.id.desc()).first())


def already_exists(existing: PullRequest) -> Conflict:
    """Gitea's ``ErrPullRequestAlreadyExists`` text, which clients match on."""
    return Conflict(
        f"pull request already exists for these targets [id: {existing.id}, issue_id: "
        f"{existing.issue.number}, head_repo_id: {existing.head_repository_id}, base_repo_id: "
        f"{existing.base_repository_id}, head_branch: {existing.head_branch}, base_branch: "
        f"{existing.base_branch}]")


@dataclasses.dataclass
class PullFilters:
    """Gitea's ``GET .../pulls`` query."""

    state: str = "open"
    sort: str = ""
    label_ids: list[int] = dataclasses.field(default_factory=list)
    milestone_id: int = 0
    poster_id: int | None = None
    base_branch: str = ""


SORTS = {
    "oldest": (Issue.created_at.asc(), Issue.id.asc()),
    "recentupdate": (Issue.updated_at.desc(), Issue.id.desc()),
    "leastupdate": (Issue.updated_at.asc(), Issue.id.asc()),
    "mostcomment": (Issue.num_comments.desc(), Issue.id.desc()),
    "leastcomment": (Issue.num_comments.asc(), Issue.id.asc()),
    "recentclose": (Issue.closed_at.desc(nulls="LAST"), Issue.id.desc()),
}
NEWEST = (Issue.created_at.desc(), Issue.id.desc())


def search_pulls(service, repository, filters: PullFilters):
    query = with_issue().where(PullRequest.base_repository == repository.id)
    if filters.state == "closed":
        query = query.where(Issue.is_closed == True)  # noqa: E712
    elif filters.state != "all":
        query = query.where(Issue.is_closed == False)  # noqa: E712
    if filters.label_ids:
        query = query.where(Issue.id.in_(service.issues.issue_ids_labelled(filters.label_ids)))
    if filters.milestone_id:
        query = query.where(Issue.milestone == filters.milestone_id)
    if filters.poster_id is not None:
        query = query.where(Issue.poster == filters.poster_id)
    if filters.base_branch:
        query = query.where(PullRequest.base_branch == filters.base_branch)
    return query.order_by(*SORTS.get(filters.sort, NEWEST))


# --- writing ------------------------------------------------------------------------------


def create_pull(service, access, doer, options: dict) -> PullRequest:
    """``CreatePullRequestOption``: numbered like an issue, 409 when an open pull request
    already joins the same head and base, 422 for a pull request of a branch into itself."""
    base_branch, head = options.get("base") or "", options.get("head") or ""
    if not base_branch or not head:
        raise Invalid("base and head are required: the branch to merge into and the branch "
                      "(or owner:branch) to merge")
    if head == base_branch:
        raise Invalid("Invalid PullRequest: There are no changes between the head and the base")
    base = access.repository
    head_repository, head_branch = resolve_head(service, access.repository, access.identity, head)
    if head_repository.id == base.id and head_branch == base_branch:
        raise Invalid("Invalid PullRequest: There are no changes between the head and the base")
    base_sha = branch_or_refusal(service, base, base_branch, "base")
    head_sha = branch_or_refusal(service, head_repository, head_branch, "head")
    # The head commit is in the base repository before the ``opened`` event names it.
    service.fetch_head(base, head_repository, head_branch)
    issues = service.issues
    issue_options = {"title": options.get("title") or "", "body": options.get("body") or "",
                     "is_pull": True}
    if access.can_write(True):
        issue_options["labels"] = issues.labels_by_ids(base, options.get("labels") or [])
        if options.get("milestone"):
            issue_options["milestone"] = issues.milestone_by_id(base, options["milestone"])
        issue_options["assignees"] = issues.resolve_assignees(
            base, issues.assignee_logins(options.get("assignee"), options.get("assignees")))
        issue_options["due_date"] = options.get("due_date")
    with write_transaction():
        # The number is allocated first: on PostgreSQL that locks the repository's counter
        # row, so two racing creators of the same pull request cannot both pass the check.
        issue = issues.create_issue(base, doer, **issue_options)
        existing = open_pull_for(head_repository.id, head_branch, base.id, base_branch)
        if existing is not None:
            raise already_exists(existing)
        pull = PullRequest.create(
            issue=issue.id, base_repository=base.id, base_branch=base_branch,
            head_repository=head_repository.id, head_branch=head_branch, head_sha=head_sha,
            base_sha=base_sha, status="checking",
            allow_maintainer_edit=bool(options.get("allow_maintainer_edit")),
            created_at=issue.created_at, updated_at=issue.created_at)
        pull.issue, pull.base_repository, pull.head_repository = issue, base, head_repository
        publish(service, pull, "opened", doer)
    return pull


def edit_pull(service, access, pull: PullRequest, changes: dict, doer) -> PullRequest:
    """``EditPullRequestOption`` with Gitea's rules (poster or writer; labels, milestone,
    assignees and due date by writers only; 412 for changing the state of a merged pull
    request; a new ``base`` must exist and not duplicate another open pull request)."""
    issue = pull.issue
    can_write = access.can_write(True)
    if issue.poster_id != doer.id and not can_write:
        raise Forbidden(f"only the poster or a writer of {access.full_name} may edit "
                        f"#{issue.number}")
    state = changes.get("state")
    if state is not None and pull.is_merged:
        raise PreconditionFailed("cannot change state of this pull request, it was already merged")
    if state is not None and state not in ("open", "closed"):
        raise PreconditionFailed(f"unknown state: {state}")
    new_base = changes.get("base")
    if new_base and new_base != pull.base_branch and not pull.is_merged:
        branch_or_refusal(service, access.repository, new_base, "new base")
        if issue.is_closed:
            raise Invalid(f"pull request #{issue.number} is closed: reopen it before changing "
                          "its base")
    reopening = state == "open" and issue.is_closed
    closing = state == "closed" and not issue.is_closed
    issue_changes = {key: changes[key] for key in ("title", "body", "due_date", "unset_due_date",
                                                   "milestone", "assignee", "assignees",
                                                   "content_version") if key in changes}
    with write_transaction():
        service.issues.edit_issue(access, issue, issue_changes, doer)
        if can_write and changes.get("labels") is not None:
            labels = service.issues.labels_by_ids(access.repository, changes["labels"])
            service.issues.set_issue_labels(issue, labels, replace=True, doer=doer)
        updates: dict = {}
        if new_base and new_base != pull.base_branch and not pull.is_merged:
            other = open_pull_for(pull.head_repository_id, pull.head_branch,
                                  pull.base_repository_id, new_base, except_id=pull.id)
            if other is not None:
                raise already_exists(other)
            updates.update(base_branch=new_base, status="checking", merge_base="")
        if changes.get("allow_maintainer_edit") is not None:
            if issue.poster_id != doer.id:
                raise Forbidden("SetAllowEdits: only the poster of the pull request may allow "
                                "maintainers to edit its head branch")
            updates["allow_maintainer_edit"] = changes["allow_maintainer_edit"]
        # Gitea's ChangesPayload of a new base: what it was.
        changed = (("ref", pull.base_branch),) if "base_branch" in updates else ()
        if updates:
            updates["updated_at"] = utcnow()
            PullRequest.update(**updates).where(PullRequest.id == pull.id).execute()
            for field, value in updates.items():
                setattr(pull, field, value)
        if state is not None and (reopening or closing):
            # The ``issue_state_changing`` hook (state_changing below) checks a reopening
            # and publishes ``closed`` / ``reopened``.
            service.issues.set_state(issue, closed=closing, doer=doer)
        elif updates or set(issue_changes) - TEXT_FIELDS:
            # A new title or body is announced by the issue edit (``issue_edited``).
            publish(service, pull, "edited", doer, changes=changed)
    return pull


def _check_can_reopen(service, pull: PullRequest) -> None:
    if pull.head_repository is None:
        raise Invalid("the head repository of this pull request was deleted: it cannot be reopened")
    with service.hosting.open_git(pull.head_repository) as repo:
        if refs.branch_sha(repo, pull.head_branch) is None:
            raise Invalid(f"head branch {pull.head_branch!r} no longer exists: the pull request "
                          "cannot be reopened")
    other = open_pull_for(pull.head_repository_id, pull.head_branch, pull.base_repository_id,
                          pull.base_branch, except_id=pull.id)
    if other is not None:
        raise already_exists(other)


def close_pull(service, pull: PullRequest, doer) -> None:
    """Close an open pull request (its head or base branch was deleted)."""
    if pull.issue.is_closed or pull.is_merged:
        return
    service.issues.set_state(pull.issue, closed=True, doer=doer)  # publishes "closed"


def state_changing(service, issue: Issue, state: str, doer) -> None:
    """The ``issue_state_changing`` hook, for every path that closes or reopens a pull
    request's issue (issue API, pull API, merge, deleted branch): a merged pull request is
    never reopened (412, as Gitea), a reopened one still needs its head branch and no open
    twin, and the ``pull_request`` ``closed`` (``merged`` after a merge) or ``reopened``
    event is published in the changing transaction."""
    if not issue.is_pull:
        return
    pull = PullRequest.get_or_none(PullRequest.issue == issue.id)
    if pull is None:
        return  # the pull request's own row is not written yet
    pull.issue = issue
    attach_repositories(service, [pull], issue.repository)
    if state == "open":
        if pull.is_merged:
            raise PreconditionFailed("cannot change state of this pull request, it was already "
                                     "merged")
        _check_can_reopen(service, pull)
    publish(service, pull, "closed" if state == "closed" else "reopened", doer,
            merged=bool(pull.is_merged))


def publish(service, pull: PullRequest, action: str, sender, *, merged: bool = False,
            changes: tuple = ()) -> None:
    service.ctx.events.publish(pull_request_event(pull, action, sender, merged=merged,
                                                  changes=changes))


# What an edit of the issue itself announces (``issue_changed`` ``edited``); the optimistic
# lock's version is no change.
TEXT_FIELDS = frozenset({"title", "body", "content_version"})


def issue_edited(service, event) -> None:
    """A pull request's title or body was edited, through the issue API or this plugin's
    (``issue_changed`` ``edited``): the ``pull_request`` ``edited`` event with what each
    field was, in the editing transaction (Gitea's issue edit of a pull request notifies as
    a pull request, to webhooks and workflows alike)."""
    pull = PullRequest.get_or_none(PullRequest.issue == event.issue_id)
    if pull is None:
        return
    issue = service.issues.issue_by_id(event.issue_id)
    pull.issue = issue
    attach_repositories(service, [pull], issue.repository)
    doer = Account.get_or_none(Account.id == event.doer_id) if event.doer_id else None
    publish(service, pull, "edited", doer, changes=event.changes)


def open_pulls_touching(repository_id: int, branch: str) -> list[PullRequest]:
    """Open, unmerged pull requests whose head or base is ``branch`` of the repository."""
    touching = (((PullRequest.head_repository == repository_id) & (PullRequest.head_branch == branch))
                | ((PullRequest.base_repository == repository_id) & (PullRequest.base_branch == branch)))
    return list(with_issue().where(touching & (PullRequest.is_merged == False)  # noqa: E712
                                    & (Issue.is_closed == False)))  # noqa: E712


def count_review_comments(pull_ids: list[int]) -> dict[int, int]:
    from plue_pulls.models import Review, ReviewComment

    if not pull_ids:
        return {}
    rows = (ReviewComment.select(ReviewComment.pull, peewee.fn.COUNT(ReviewComment.id).alias("n"))
            .join(Review).where((ReviewComment.pull.in_(pull_ids)) & (Review.state != "PENDING"))
            .group_by(ReviewComment.pull))
    return {row.pull_id: row.n for row in rows}
