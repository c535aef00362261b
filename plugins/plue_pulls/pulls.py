"""Pull requests: open (an issue numbered in the base repository plus the head and base,
see ``heads``), find, list, edit, close and reopen, and the ``pull_request`` events they
publish."""

from __future__ import annotations

import dataclasses
import functools

from plue_core.accounts.models import Account
from plue_core.db import CompiledSelect, utcnow, write_transaction
from plue_core.errors import Conflict, Forbidden, Invalid, NotFound, PreconditionFailed
from plue_core.integers import parse_id

from plue_pulls import body_reads, refs
from plue_pulls.events import pull_request_event
from plue_pulls.heads import branch_or_refusal, resolve_head
from plue_pulls.models import PullRequest

# Gitea's WORK_IN_PROGRESS_PREFIXES: such a title makes a draft that cannot be merged.
WIP_PREFIXES = ("WIP:", "[WIP]")


def is_draft(title: str) -> bool:
    upper = (title or "").upper()
    return any(upper.startswith(prefix) for prefix in WIP_PREFIXES)


# --- reading ------------------------------------------------------------------------------
#
# A pull request's issue row (number, title, state, poster) is the issues plugin's: it comes
# from ``service.issues`` and is attached as ``pull.issue``; the filters and orders that read
# it run there, over a subquery of this plugin's own rows.


def with_issues(service, pulls: list[PullRequest]) -> list[PullRequest]:
    """Attach each pull request's issue (poster joined): one statement for them all."""
    issues = service.issues.issues_by_ids({pull.issue_id for pull in pulls})
    for pull in pulls:
        pull.issue = issues[pull.issue_id]
    return pulls


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


def find_pull(service, repository, number: int, *, with_parts: bool = False) -> PullRequest | None:
    """The pull request numbered ``number`` in ``repository`` (its issue attached): one
    statement, the issues service's issue joined with this plugin's row; ``with_parts``: the
    issue's labels and assignees and the body's parts (``body_reads``) read with it (a GET
    rendering it at once)."""
    issue = service.issues.find_issue_joined(
        repository, number, PullRequest.issue_id, with_parts=with_parts,
        columns=body_reads.body_columns if with_parts else None)
    if issue is None:
        return None
    pull = issue.joined
    pull.issue = issue
    if with_parts:  # and its body's parts (the presenter reads none)
        pull.read_body_parts = body_reads.parts_of_columns(issue)
    return pull


def get_pull(service, access, number, *, with_parts: bool = False) -> PullRequest:
    """For the routes: 404 when ``number`` is not a pull request here (or not a number);
    ``with_parts`` as :func:`find_pull`."""
    if (index := parse_id(number)) is None:  # the path segment is shared with {base}/{head}
        raise NotFound(f"pull request {number!r} does not exist: the index must be a number "
                       f"(a 64-bit integer)")
    number = index
    access.require_unit(True)
    pull = find_pull(service, access.repository, number, with_parts=with_parts)
    if pull is None:
        raise NotFound(f"pull request #{number} does not exist in {access.full_name}")
    return attach_repositories(service, [pull], access.repository)[0]


def _between(head_repository_id, head_branch, base_repository_id, base_branch):
    """The unmerged pull requests from the head branch into the base branch."""
    return PullRequest.select().where(
        (PullRequest.head_repository == head_repository_id) & (PullRequest.head_branch == head_branch)
        & (PullRequest.base_repository == base_repository_id) & (PullRequest.base_branch == base_branch)
        & (PullRequest.is_merged == False))  # noqa: E712


def _open_only(open_issue_ids, query):
    """``query``'s pull requests whose issue is open (``service.issues.open_issue_ids``)."""
    return query.where(PullRequest.issue_id.in_(open_issue_ids(query.select(PullRequest.issue_id))))


@functools.cache
def _open_pull_select(open_issue_ids) -> CompiledSelect:
    # Every comparison page asks it: compiled once.
    return CompiledSelect(lambda *ends: _open_only(open_issue_ids, _between(*ends)).limit(1),
                          int, str, int, str)


def open_pull_for(service, head_repository_id: int, head_branch: str, base_repository_id: int,
                  base_branch: str, *, except_id: int | None = None) -> PullRequest | None:
    """The open pull request from the head branch into the base branch (its issue
    attached), other than ``except_id``; None when there is none."""
    open_issue_ids = service.issues.open_issue_ids
    ends = (head_repository_id, head_branch, base_repository_id, base_branch)
    if except_id is None:
        pull = _open_pull_select(open_issue_ids).first(*ends)
    else:
        pull = _open_only(open_issue_ids, _between(*ends).where(PullRequest.id != except_id)).first()
    return None if pull is None else with_issues(service, [pull])[0]


def latest_pull_for(service, head_repository_id: int, head_branch: str, base_repository_id: int,
                    base_branch: str) -> PullRequest | None:
    """The open pull request joining head and base, else the most recent one."""
    candidates = list(PullRequest.select().where(
        (PullRequest.head_repository == head_repository_id) & (PullRequest.head_branch == head_branch)
        & (PullRequest.base_repository == base_repository_id) & (PullRequest.base_branch == base_branch))
        .order_by(PullRequest.id.desc()))
    if not candidates:
        return None
    with_issues(service, candidates)
    return min(candidates, key=lambda pull: bool(pull.issue.is_closed))  # the first open one


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


def search_pull_issues(service, repository, filters: PullFilters):
    """The issue rows of ``repository``'s pull requests matching ``filters``, in their order:
    a query of the issues service to page and count (``count_matching``)."""
    own = PullRequest.select(PullRequest.issue_id).where(PullRequest.base_repository == repository.id)
    if filters.base_branch:
        own = own.where(PullRequest.base_branch == filters.base_branch)
    return service.issues.search_pull_issues(
        repository.id, own, state=filters.state, label_ids=filters.label_ids,
        milestone_id=filters.milestone_id, poster_id=filters.poster_id, sort=filters.sort)


def pulls_of_issues(issues: list) -> list[PullRequest]:
    """The pull requests of ``issues`` (a page of their issue rows), in the same order, each
    with its issue attached: one statement."""
    if not issues:
        return []
    by_issue = {pull.issue_id: pull for pull in
                PullRequest.select().where(PullRequest.issue_id.in_([issue.id for issue in issues]))}
    found = []
    for issue in issues:
        pull = by_issue.get(issue.id)
        if pull is not None:
            pull.issue = issue
            found.append(pull)
    return found


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
        existing = open_pull_for(service, head_repository.id, head_branch, base.id, base_branch)
        if existing is not None:
            raise already_exists(existing)
        pull = PullRequest.create(
            issue_id=issue.id, base_repository=base.id, base_branch=base_branch,
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
            other = open_pull_for(service, pull.head_repository_id, pull.head_branch,
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
        if changed:
            service.issues.record_target_branch_change(issue, doer, pull.base_branch, new_base)
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
    other = open_pull_for(service, pull.head_repository_id, pull.head_branch, pull.base_repository_id,
                          pull.base_branch, except_id=pull.id)
    if other is not None:
        raise already_exists(other)


def close_pull(service, pull: PullRequest, doer) -> None:
    """Close an open pull request (its head or base branch was deleted)."""
    if pull.issue.is_closed or pull.is_merged:
        return
    service.issues.set_state(pull.issue, closed=True, doer=doer)  # publishes "closed"


def state_changing(service, issue, state: str, doer) -> None:
    """The ``issue_state_changing`` hook, for every path that closes or reopens a pull
    request's issue (issue API, pull API, merge, deleted branch): a merged pull request is
    never reopened (412, as Gitea), a reopened one still needs its head branch and no open
    twin, and the ``pull_request`` ``closed`` (``merged`` after a merge) or ``reopened``
    event is published in the changing transaction."""
    if not issue.is_pull:
        return
    pull = PullRequest.get_or_none(PullRequest.issue_id == issue.id)
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
    pull = PullRequest.get_or_none(PullRequest.issue_id == event.issue_id)
    if pull is None:
        return
    issue = service.issues.issue_by_id(event.issue_id)
    pull.issue = issue
    attach_repositories(service, [pull], issue.repository)
    doer = Account.get_or_none(Account.id == event.doer_id) if event.doer_id else None
    publish(service, pull, "edited", doer, changes=event.changes)


def _touching(open_issue_ids, repository_id, branch):
    touching = (((PullRequest.head_repository == repository_id) & (PullRequest.head_branch == branch))
                | ((PullRequest.base_repository == repository_id) & (PullRequest.base_branch == branch)))
    unmerged = PullRequest.select().where(touching & (PullRequest.is_merged == False))  # noqa: E712
    return _open_only(open_issue_ids, unmerged)


@functools.cache
def _touching_select(open_issue_ids) -> CompiledSelect:
    # Every push asks it, inside its transaction, before the runners it queued work for are
    # woken (at the commit): compiled once.
    return CompiledSelect(lambda repository_id, branch: _touching(open_issue_ids, repository_id,
                                                                  branch), int, str)


def open_pulls_touching(service, repository_id: int, branch: str) -> list[PullRequest]:
    """Open, unmerged pull requests whose head or base is ``branch`` of the repository,
    each with its issue."""
    return with_issues(service, _touching_select(service.issues.open_issue_ids)
                       .rows(repository_id, branch))

