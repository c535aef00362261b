"""Merging a pull request into its base branch on the bare repository, in every style Gitea
has: ``merge`` (a merge commit), ``rebase`` (the head's commits replayed onto the base, which
fast-forwards), ``rebase-merge`` (replayed, then a merge commit), ``squash`` (one commit
authored by the poster), ``fast-forward-only`` and ``manually-merged`` (mark a merge made
elsewhere). The repository's ``allow_*`` settings decide which are allowed.

The work happens under git_hosting's write lock for the base repository: three-way merges
with ``git merge-tree --write-tree``, commits with ``git commit-tree``, all in scratch
objects; only the objects of the result are moved into the repository, then the branch moves
with a compare-and-swap, and git_hosting records the push (branch rows, ``push`` event) in the
same transaction that marks the pull request merged and closes its issue.
"""

from __future__ import annotations

import time

from plue_core.db import utcnow, write_transaction
from plue_core.errors import Conflict, MethodNotAllowed, NotFound

from plue_pulls import merge_intents, mergeability, protection, pulls, refs
from plue_pulls.models import PullRequest
from plue_pulls.plumbing import Git, Person, UnrelatedHistories, scratch
from plue_pulls.ref_moves import RefMove, move_branch

STYLE_SETTINGS = {
    "merge": "allow_merge_commits", "rebase": "allow_rebase", "rebase-merge": "allow_rebase_explicit",
    "squash": "allow_squash_merge", "fast-forward-only": "allow_fast_forward_only_merge",
    "manually-merged": "allow_manual_merge",
}


def allowed_styles(repository) -> list[str]:
    """The merge styles ``repository`` allows, in Gitea's order (``do`` values)."""
    return [style for style, setting in STYLE_SETTINGS.items() if getattr(repository, setting)]


class MergeConflict(Conflict):
    """Gitea's 409 for a merge that cannot be made as asked."""


def signature_of(account, when: int | None = None) -> Person:
    """How a commit made for a user is signed: display name and e-mail (as git_hosting does)."""
    email = account.email or f"{account.name}@noreply.plue"
    return Person(account.full_name or account.name, email, int(when or time.time()))


def default_message(pull: PullRequest, style: str) -> str:
    """Gitea's ``GetDefaultMergeMessage``."""
    issue = pull.issue
    if style == "squash":
        return f"{issue.title} (#{issue.number})"
    if pull.head_repository is None:
        source = f"<deleted>:{pull.head_branch}"
    elif pull.is_fork:
        source = f"{pull.head_repository.full_name}:{pull.head_branch}"
    else:
        source = pull.head_branch
    return (f"Merge pull request '{issue.title}' (#{issue.number}) from {source} into "
            f"{pull.base_branch}")


# --- checks ---------------------------------------------------------------------------------


def check_mergeable(service, access, pull: PullRequest, doer, options: dict, style: str) -> None:
    """Gitea's ``CheckPullMergeable`` and merge-style check, with its codes: merged, not
    allowed, draft, not mergeable, protection, an open dependency -> 405; closed -> 404."""
    number = pull.issue.number
    if pull.is_merged:
        raise MethodNotAllowed(f"pull request #{number} has already been merged")
    if pull.issue.is_closed:
        raise NotFound(f"pull request #{number} is closed: reopen it to merge")
    rule = protection.rule_for(pull.base_repository, pull.base_branch)
    if not access.can_write(True) or (rule and not protection.can_merge(
            service.accounts, rule.options, doer, pull.base_repository)):
        raise MethodNotAllowed("User not allowed to merge PR")
    setting = STYLE_SETTINGS.get(style)
    if setting is None or not getattr(pull.base_repository, setting):
        raise MethodNotAllowed(f"{style} is not allowed an allowed merge style for this repository")
    if style == "manually-merged":
        return
    if pulls.is_draft(pull.issue.title):
        raise MethodNotAllowed("Work in progress PRs cannot be merged")
    mergeability.refresh(service, pull)
    if pull.status == "conflict":
        raise MethodNotAllowed(f"Please try again later: pull request #{number} has merge "
                               f"conflicts in {', '.join(pull.conflicts) or 'its files'}")
    if pull.status not in ("mergeable", "empty"):
        raise MethodNotAllowed(f"Please try again later: pull request #{number} is not in a "
                               f"mergeable state ({pull.status})")
    reason = protection.merge_blockers(pull, rule)
    if reason:
        overridable = not rule.options.get("block_admin_merge_override")
        if not (options.get("force_merge") and access.is_admin and overridable):
            raise MethodNotAllowed(reason)
    if service.issues.open_dependencies_left(pull.issue):
        # Gitea's CheckPullMergeable (ErrDependenciesLeft; its API answers 500): its message.
        raise MethodNotAllowed("You need to close all issues that block this pull request "
                               "before you can merge it.")
    expected = (options.get("head_commit_id") or "").strip()
    if expected and expected != pull.head_sha:
        raise MergeConflict("head out of date")


# --- the styles -----------------------------------------------------------------------------


def replay(git: Git, onto: str, head: str, committer: Person) -> str:
    """``git rebase onto``: the head's non-merge commits not on ``onto``, oldest first, each
    re-applied with its author kept; changes already on ``onto`` are dropped."""
    if git.is_ancestor(onto, head):
        return head  # already on top: the same commits, as git rebase leaves them
    tip = onto
    for commit in git.rev_list(head, f"^{onto}", reverse=True, no_merges=True):
        picked = git.cherry_pick_tree(tip, commit)
        if not picked.clean:
            raise MergeConflict(f"Rebase conflict at commit {commit}: "
                                f"{', '.join(picked.conflicts)}")
        if picked.tree == git.tree_of(tip):
            continue
        tip = git.commit_tree(picked.tree, [tip], git.message_of(commit),
                              author=git.author_of(commit), committer=committer)
    return tip


def merged_tree(git: Git, base: str, head: str) -> str:
    try:
        result = git.merge_trees(base, head)
    except UnrelatedHistories:
        raise MergeConflict("Merge UnrelatedHistories: the head and the base share no "
                            "history") from None
    if not result.clean:
        raise MergeConflict(f"Merge Conflict: {', '.join(result.conflicts)}")
    return result.tree


def make_result(git: Git, style: str, pull: PullRequest, base: str, head: str, message: str,
                doer) -> str:
    """The new tip of the base branch for ``style`` (objects in ``git``'s scratch store)."""
    me = signature_of(doer)
    if style == "fast-forward-only":
        if not git.is_ancestor(base, head):
            raise MergeConflict("fast-forward-only: the head does not contain the base; update "
                                "the head branch first")
        return head
    if git.is_ancestor(head, base):
        raise MethodNotAllowed(f"nothing to merge: {pull.head_branch!r} is already part of "
                               f"{pull.base_branch!r}")
    if style == "merge":
        return git.commit_tree(merged_tree(git, base, head), [base, head], message + "\n",
                               author=me, committer=me)
    if style == "squash":
        tree = merged_tree(git, base, head)
        if tree == git.tree_of(base):
            raise MethodNotAllowed("nothing to squash: the head adds no changes to the base")
        poster = pull.issue.poster
        author = signature_of(poster, me.when) if poster is not None else me
        return git.commit_tree(tree, [base], message + "\n", author=author, committer=me)
    rebased = replay(git, base, head, me)
    if style == "rebase":
        return rebased
    return git.commit_tree(git.tree_of(rebased), [base, rebased], message + "\n",
                           author=me, committer=me)


# --- merging --------------------------------------------------------------------------------


def merge(service, access, pull: PullRequest, doer, options: dict) -> PullRequest:
    """``MergePullRequestOption``: check, merge, record, then delete the head branch when
    asked (and allowed)."""
    style = options["do"]
    check_mergeable(service, access, pull, doer, options, style)
    if style == "manually-merged":
        return _mark_manually_merged(service, pull, doer, options.get("merge_commit_id") or "")
    message = (options.get("merge_title_field") or "").strip() or default_message(pull, style)
    extra = (options.get("merge_message_field") or "").strip()
    if extra:
        message += "\n\n" + extra
    base = pull.base_repository
    git = service.git(base)
    with service.hosting.write_lock(base):
        with service.hosting.open_git(base) as repo:
            base_tip = refs.branch_sha(repo, pull.base_branch)
        head = pull.head_sha
        if base_tip is None:
            raise MergeConflict(f"base branch {pull.base_branch!r} no longer exists")
        with scratch(git) as work:
            new_tip = make_result(work.git, style, pull, base_tip, head, message, doer)
            if new_tip != head:
                work.keep(new_tip)
        merge_intents.declare(pull, style, base_tip, new_tip, doer)
        try:
            move_branch(service, base, git, pull.base_branch, base_tip, new_tip, doer,
                        record=lambda entry: _record(service, pull, doer, style, base_tip,
                                                     new_tip, entry))
        except BaseException:
            with write_transaction():  # the move was undone: nothing is in flight
                merge_intents.forget(pull)
            raise
    delete_after = options.get("delete_branch_after_merge")
    if delete_after is None:
        delete_after = bool(base.default_delete_branch_after_merge)
    if delete_after:
        _delete_head_branch(service, access, pull, doer)
    return pull


def _record(service, pull: PullRequest, doer, style: str, before: str, after: str,
            journal_entry: int) -> None:
    base = pull.base_repository
    with write_transaction():
        mark_merged(service, pull, doer, style, after)
        merge_intents.forget(pull)
        with service.hosting.open_git(base) as repo:
            service.hosting.record_ref_updates(
                base, repo, [RefMove(f"refs/heads/{pull.base_branch}".encode(), before.encode(),
                                     after.encode())], pusher=doer, via="api",
                journal_entry=journal_entry)


def finish_interrupted(service, pull: PullRequest, new_base_tip: str) -> bool:
    """Inside a push's transaction: if the base branch moved to the tip an unfinished merge of
    ``pull`` was making (the process died after git moved it; the ref journal replayed the
    move), record that merge with its doer and style. True if it did."""
    intent = merge_intents.find(pull, new_base_tip)
    if intent is None:
        return False
    doer = service.accounts.find_account_by_id(intent.doer_id) if intent.doer_id else None
    mark_merged(service, pull, doer, intent.style, intent.after_sha)
    merge_intents.forget(pull)
    return True


def mark_merged(service, pull: PullRequest, doer, style: str, merge_commit: str) -> None:
    """Inside the caller's transaction: the row, the closed issue, the event, and the
    issues the pull request says it fixes (or reopens)."""
    moment = utcnow()
    changed = (PullRequest.update(is_merged=True, merged_at=moment, merged_by=doer.id,
                                  merge_commit_sha=merge_commit, merge_style=style,
                                  updated_at=moment)
               .where((PullRequest.id == pull.id) & (PullRequest.is_merged == False))  # noqa: E712
               .execute())
    if not changed:
        raise MethodNotAllowed(f"pull request #{pull.issue.number} has already been merged")
    pull.is_merged, pull.merged_at, pull.merged_by = True, moment, doer
    pull.merge_commit_sha, pull.merge_style = merge_commit, style
    # The ``issue_state_changing`` hook publishes ``closed`` with ``merged`` true; the
    # timeline shows ``merge_pull`` rather than ``close``.
    service.issues.set_state(pull.issue, closed=True, doer=doer, merged=True)
    service.issues.resolve_merge_references(pull.issue, doer)


def _mark_manually_merged(service, pull: PullRequest, doer, commit: str) -> PullRequest:
    """Gitea's ``MergedManually``: ``merge_commit_id`` must be on the base branch and contain
    the head; nothing moves."""
    git = service.git(pull.base_repository)
    commit = commit.strip()
    with service.hosting.open_git(pull.base_repository) as repo:
        base_tip = refs.branch_sha(repo, pull.base_branch)
    if not (commit and git.has_commit(commit) and base_tip and git.is_ancestor(commit, base_tip)
            and git.is_ancestor(pull.head_sha, commit)):
        raise MergeConflict(f"Wrong commit ID: {commit!r} is not a commit of "
                            f"{pull.base_branch!r} that contains the head")
    with write_transaction():
        mark_merged(service, pull, doer, "manually-merged", git.text("rev-parse", commit))
    return pull


def _delete_head_branch(service, access, pull: PullRequest, doer) -> None:
    """Gitea's rules: only a branch the doer may write, not the default branch, not a
    protected one, and not while another open pull request still uses it as its head or its
    base (all silently: the merge itself succeeded)."""
    head = pull.head_repository
    if head is None or pull.head_branch == head.default_branch:
        return
    if not service.hosting.allows(access.identity, head, "write"):
        return
    if protection.rule_for(head, pull.head_branch) is not None:
        return
    if any(other.id != pull.id for other in pulls.open_pulls_touching(service, head.id, pull.head_branch)):
        return  # still the head (or the base) of another open pull request
    try:
        service.hosting.delete_branch(head, doer, pull.head_branch)
    except NotFound:
        return  # already gone
    with write_transaction():  # Gitea's AddDeletePRBranchComment
        service.issues.record_branch_deletion(pull.issue, doer, pull.head_branch)
