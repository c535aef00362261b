"""Updating a pull request's head branch with its base (Gitea's ``UpdatePullRequest``):
``merge`` makes the merge commit "Merge branch '<base>' into <head>" on the head, ``rebase``
replays the head's commits onto the base and moves the head there (a force update).

As for merges (see ``merging``), the work happens on the bare head repository under
git_hosting's write lock, in scratch objects, with a compare-and-swap of the head ref; then
git_hosting records the push, so the ``push`` event fires and the pull request (and any other
one on that branch) is synchronized as after a ``git push``. A fork first receives the base
branch's objects (objects only, no ref).
"""

from __future__ import annotations

from plue_core.errors import Conflict, Forbidden, Invalid, NotFound

from plue_pulls import protection, refs
from plue_pulls.merging import MergeConflict, merged_tree, replay, signature_of
from plue_pulls.models import PullRequest
from plue_pulls.plumbing import scratch
from plue_pulls.ref_moves import move_branch

STYLES = ("merge", "rebase")


def _check(service, access, pull: PullRequest, doer, style: str) -> None:
    """Gitea's ``UpdatePullRequest`` and ``IsUserAllowedToUpdate``: merged or closed -> 422;
    the doer must be able to write the head branch (write access to the head repository, or
    to the base one when the author allows maintainer edits; a protected head branch needs
    push and merge rights) -> 403; rebasing needs an unprotected head branch and the base
    repository's ``allow_rebase_update``."""
    number = pull.issue.number
    if style not in STYLES:
        raise Invalid(f"style: {style!r} is not an update style: use merge or rebase")
    if pull.is_merged:
        raise Invalid(f"pull request #{number} has already been merged")
    if pull.issue.is_closed:
        raise Invalid(f"pull request #{number} is closed")
    head = pull.head_repository
    if head is None:
        raise NotFound(f"the head repository of pull request #{number} has been deleted")
    may_write = service.hosting.allows(access.identity, head, "write") or (
        pull.allow_maintainer_edit
        and service.hosting.allows(access.identity, pull.base_repository, "write"))
    if not may_write:
        raise Forbidden(f"write access to {head.full_name} is required to update "
                        f"{pull.head_branch!r}")
    rule = protection.rule_for(head, pull.head_branch)
    accounts = service.accounts
    if rule is not None and not (protection.can_push(accounts, rule.options, doer, head)
                                 and protection.can_merge(accounts, rule.options, doer, head)):
        raise Forbidden(f"branch {pull.head_branch!r} is protected: you may not push to it")
    if style == "rebase" and (rule is not None or not pull.base_repository.allow_rebase_update):
        raise Forbidden(f"updating pull request #{number} by rebase is not allowed: "
                        + ("the head branch is protected" if rule is not None
                           else "the repository does not allow rebase updates"))


def update_head(service, access, pull: PullRequest, doer, style: str) -> bool:
    """Bring the head branch up to date with the base; False when it already was."""
    _check(service, access, pull, doer, style)
    head, base = pull.head_repository, pull.base_repository
    git = service.git(head)
    with service.hosting.write_lock(head):
        with service.hosting.open_git(base) as repo:
            base_tip = refs.branch_sha(repo, pull.base_branch)
        with service.hosting.open_git(head) as repo:
            head_tip = refs.branch_sha(repo, pull.head_branch)
        if base_tip is None or head_tip is None:
            gone = pull.base_branch if base_tip is None else pull.head_branch
            raise NotFound(f"branch {gone!r} of pull request #{pull.issue.number} no longer exists")
        if head.id != base.id:
            git.fetch_objects(service.hosting.path_of(base), f"refs/heads/{pull.base_branch}")
        if git.is_ancestor(base_tip, head_tip):
            return False
        me = signature_of(doer)
        with scratch(git) as work:
            if style == "merge":
                try:
                    tree = merged_tree(work.git, head_tip, base_tip)
                except MergeConflict:
                    raise Conflict("merge failed because of conflict") from None
                message = f"Merge branch '{pull.base_branch}' into {pull.head_branch}\n"
                new_tip = work.git.commit_tree(tree, [head_tip, base_tip], message,
                                               author=me, committer=me)
            else:
                try:
                    new_tip = replay(work.git, base_tip, head_tip, me)
                except MergeConflict:
                    raise Conflict("rebase failed because of conflict") from None
            work.keep(new_tip)
        move_branch(service, head, git, pull.head_branch, head_tip, new_tip, doer)
    return True
