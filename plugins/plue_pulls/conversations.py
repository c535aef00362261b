"""A review's line comments as Gitea's conversations: marking one resolved (the comment's
``resolver``) and undoing it, and replying to one.

* Who may resolve or unresolve: the pull request's poster, whoever may write its pull requests,
  and an official reviewer (on the base branch protection's approvals allowlist), as Gitea's
  ``CanMarkConversation``; anyone else is refused (403). Resolving a resolved comment, or
  unresolving an unresolved one, changes nothing.
* A reply joins the comment's review at the same path and line (its diff hunk and commits), as
  Gitea's reply to a code comment; a locked pull request takes replies only from its writers and
  site administrators.
* A comment of a pending review exists only for its reviewer (and site administrators).
"""

from __future__ import annotations

from plue_core.db import utcnow
from plue_core.errors import Forbidden, Invalid, NotFound

from plue_pulls import protection, pulls
from plue_pulls.models import PullRequest, Review, ReviewComment


def find_comment(service, access, comment_id: int, viewer, *, pull=None):
    """``(pull, comment)`` for the line comment ``comment_id`` of a pull request of
    ``access``'s repository (``pull``: of that pull request only); 404 otherwise."""
    comment = ReviewComment.get_or_none(ReviewComment.id == comment_id)
    review = Review.get_or_none(Review.id == comment.review_id) if comment else None
    row = PullRequest.get_or_none(PullRequest.id == comment.pull_id) if comment else None
    hidden = review is not None and review.state == "PENDING" and (
        viewer is None or (review.reviewer_id != viewer.id and not viewer.is_admin))
    if (review is None or row is None or hidden
            or row.base_repository_id != access.repository.id
            or (pull is not None and row.id != pull.id)):
        raise NotFound(f"review comment {comment_id} does not exist in {access.full_name}")
    if pull is None:
        pull = pulls.get_pull(service, access, service.issues.issue_by_id(row.issue_id).number)
    return pull, comment


def may_resolve(service, access, pull, doer) -> bool:
    if pull.issue.poster_id == doer.id or access.can_write(True):
        return True
    rule = protection.rule_for(pull.base_repository, pull.base_branch)
    return protection.can_approve(service.accounts, rule.options if rule else None, doer,
                                  pull.base_repository, False)


def set_resolved(service, access, pull, comment: ReviewComment, doer, resolved: bool) -> None:
    if not may_resolve(service, access, pull, doer):
        raise Forbidden("user should have permission to resolve comment")
    if resolved and comment.resolver_id is None:
        comment.resolver = doer.id
    elif not resolved and comment.resolver_id is not None:
        comment.resolver = None
    else:
        return
    comment.save(only=[ReviewComment.resolver])


def reply(access, pull, comment: ReviewComment, doer, body: str) -> ReviewComment:
    if not (body or "").strip():
        raise Invalid("body: a reply needs a body")
    if pull.issue.is_locked and not access.can_write(True) and not doer.is_admin:
        raise Forbidden("the pull request is locked: only its writers may comment")
    moment = utcnow()
    return ReviewComment.create(
        review=comment.review_id, pull=pull.id, poster=doer.id, path=comment.path,
        line=comment.line, body=body, diff_hunk=comment.diff_hunk, commit_id=comment.commit_id,
        original_commit_id=comment.original_commit_id, created_at=moment, updated_at=moment)
