"""Whether a pull request can be merged, found for real: a three-way merge of the base tip and
the head with ``git merge-tree --write-tree`` in scratch objects (nothing is left behind).

A push to either branch marks the pull request ``checking`` (see ``push_reactions``); the
check itself runs when someone looks at the pull request, before a merge, and in the
``pulls.check_mergeability`` job, so a push never waits for it. Each check also moves the
base repository's ``refs/pull/<n>/head`` to the head, as Gitea keeps it.
"""

from __future__ import annotations

import json
import logging

from plue_core.db import utcnow

from plue_pulls import refs
from plue_pulls.models import PullRequest
from plue_pulls.plumbing import ZERO_SHA, GitFailed, UnrelatedHistories, scratch

log = logging.getLogger("plue.pulls.mergeability")


def current_head(service, pull: PullRequest) -> str | None:
    """The head branch's tip now (None when the branch or its repository is gone)."""
    if pull.head_repository is None:
        return None
    with service.hosting.open_git(pull.head_repository) as repo:
        return refs.branch_sha(repo, pull.head_branch)


def ensure_head_objects(service, pull: PullRequest, head_sha: str) -> None:
    """A fork's head commits are copied into the base repository (objects only)."""
    git = service.git(pull.base_repository)
    if pull.is_fork and head_sha and not git.has_commit(head_sha):
        git.fetch_objects(service.hosting.path_of(pull.head_repository),
                          f"refs/heads/{pull.head_branch}")


def sync_pull_ref(service, pull: PullRequest, head_sha: str) -> None:
    """``refs/pull/<n>/head`` -> ``head_sha``, under the base repository's write lock so a
    concurrent push never sees the pull ref move as its own."""
    base = pull.base_repository
    git = service.git(base)
    if not git.has_commit(head_sha):
        return
    with service.hosting.write_lock(base):
        with service.hosting.open_git(base) as repo:
            current = refs.ref_sha(repo, pull.pull_ref)
        if current != head_sha:
            git.update_ref(pull.pull_ref, head_sha, current or ZERO_SHA)


def compute(service, pull: PullRequest, base_sha: str | None, head_sha: str) -> dict:
    """The columns a check sets: status, merge base, conflicts, how far behind, diff stats."""
    git = service.git(pull.base_repository)
    result = {"base_sha": base_sha or "", "head_sha": head_sha, "conflicted_files": "[]",
              "commits_behind": 0}
    if not base_sha or not git.has_commit(head_sha):
        return {**result, "status": "error"}
    merge_base = git.merge_base(base_sha, head_sha)
    if merge_base is None:
        return {**result, "status": "error", "merge_base": ""}
    additions = deletions = 0
    files = git.numstat(merge_base, head_sha)
    for _status, _path, added, deleted, _old in files:
        additions, deletions = additions + added, deletions + deleted
    result.update(merge_base=merge_base, additions=additions, deletions=deletions,
                  changed_files=len(files), commits_behind=git.count(base_sha, f"^{head_sha}"))
    if git.is_ancestor(head_sha, base_sha):
        return {**result, "status": "empty"}
    with scratch(git) as work:
        try:
            merged = work.git.merge_trees(base_sha, head_sha)
        except UnrelatedHistories:
            return {**result, "status": "error"}
        if not merged.clean:
            return {**result, "status": "conflict",
                    "conflicted_files": json.dumps(list(merged.conflicts))}
        empty = merged.tree == work.git.tree_of(base_sha)
    return {**result, "status": "empty" if empty else "mergeable"}


def refresh(service, pull: PullRequest) -> PullRequest:
    """Check ``pull`` against the current tips of both branches and store the answer (a merged
    pull request keeps what it had). A git failure is logged and stored as ``error``."""
    if pull.is_merged:
        return pull
    try:
        head_sha = current_head(service, pull) or pull.head_sha
        with service.hosting.open_git(pull.base_repository) as repo:
            base_sha = refs.branch_sha(repo, pull.base_branch)
        ensure_head_objects(service, pull, head_sha)
        sync_pull_ref(service, pull, head_sha)
        changes = compute(service, pull, base_sha, head_sha)
    except GitFailed:
        log.exception("checking pull request #%s of %s failed", pull.issue.number,
                      pull.base_repository.full_name)
        changes = {"status": "error"}
    changes["updated_at"] = utcnow()
    PullRequest.update(**changes).where((PullRequest.id == pull.id)
                                        & (PullRequest.is_merged == False)).execute()  # noqa: E712
    for field, value in changes.items():
        setattr(pull, field, value)
    return pull


def refresh_if_checking(service, pull: PullRequest) -> PullRequest:
    if pull.status == "checking" and not pull.is_merged:
        return refresh(service, pull)
    return pull


def check_pending(service, limit: int = 50) -> int:
    """The scheduler job: check up to ``limit`` pull requests waiting in ``checking``."""
    from plue_pulls.pulls import attach_repositories, with_issues

    waiting = with_issues(service, list(
        PullRequest.select().where((PullRequest.status == "checking")
                                   & (PullRequest.is_merged == False))  # noqa: E712
        .order_by(PullRequest.updated_at).limit(limit)))
    for pull in waiting:
        base = service.hosting.get_repository_by_id(pull.base_repository_id)
        if base is None:
            continue
        attach_repositories(service, [pull], base)
        refresh(service, pull)
    return len(waiting)
