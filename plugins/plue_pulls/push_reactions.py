"""What a push (git's or the API's) does to open pull requests, heard through git_hosting's
``push`` event inside the push's own transaction.

* The head branch moved: the new head is recorded (a fork's commits are copied into the base
  repository first, objects only), the pull request goes back to ``checking``, stale
  approvals are dismissed where the base branch's protection says so, and ``pull_request``
  fires with action ``synchronized``.
* The base branch moved: ``checking`` again (a conflict may have appeared or gone), unless
  the move is a killed merge's, replayed: then the pull request is merged (``merge_intents``).
* Either branch was deleted: the pull request is closed, as Gitea's ``CloseBranchPulls``.

No repository lock is taken here: the publisher of the push already holds one, and the
checks themselves run later (see ``mergeability``).
"""

from __future__ import annotations

from plue_core.db import utcnow

from plue_pulls import mergeability, merging, protection, pulls
from plue_pulls.models import PullRequest, Review

HEADS = "refs/heads/"


def on_push(service, event) -> None:
    if not event.ref.startswith(HEADS):
        return
    branch = event.ref[len(HEADS):]
    touched = pulls.open_pulls_touching(service, event.repository_id, branch)
    if not touched:
        return
    pusher = service.accounts.find_account(event.pusher) if event.pusher else None
    bases: dict[int, object] = {}
    for pull in touched:
        base_id = pull.base_repository_id
        if base_id not in bases:
            bases[base_id] = service.hosting.get_repository_by_id(base_id)
        pulls.attach_repositories(service, [pull], bases[base_id])
        if event.deleted:
            pulls.close_pull(service, pull, pusher)
        elif pull.head_repository_id == event.repository_id and pull.head_branch == branch:
            _head_moved(service, pull, event.after, pusher)
        elif merging.finish_interrupted(service, pull, event.after):
            continue  # a killed merge's move, replayed: the pull request is merged now
        else:
            PullRequest.update(status="checking", updated_at=utcnow()).where(
                (PullRequest.id == pull.id) & (PullRequest.is_merged == False)).execute()  # noqa: E712


def _head_moved(service, pull: PullRequest, new_head: str, pusher) -> None:
    mergeability.ensure_head_objects(service, pull, new_head)
    pull.head_sha, pull.status = new_head, "checking"
    PullRequest.update(head_sha=new_head, status="checking", updated_at=utcnow()).where(
        (PullRequest.id == pull.id) & (PullRequest.is_merged == False)).execute()  # noqa: E712
    rule = protection.rule_for(pull.base_repository, pull.base_branch)
    if rule is not None and rule.options.get("dismiss_stale_approvals"):
        Review.update(dismissed=True, updated_at=utcnow()).where(
            (Review.pull == pull.id) & (Review.state == "APPROVED")
            & (Review.commit_id != new_head)).execute()
    pulls.publish(service, pull, "synchronized", pusher)
