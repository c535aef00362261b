"""Reviews of a pull request and their line comments, with Gitea's rules:

* ``APPROVED`` and ``REQUEST_CHANGES`` are refused on your own pull request, and on a closed
  or merged one; ``REQUEST_CHANGES`` needs a body, ``COMMENT`` a body or a line comment; any
  other event (``PENDING``, ``REQUEST_REVIEW``, none) keeps the review pending, and a pending
  review needs a body too.
* A reviewer has at most one pending review: a new review submits it, with the new comments.
* A pending review is seen only by its reviewer (and site administrators).
* A review is *official* when the reviewer may approve (write access, or the base branch
  protection's approvals allowlist); only each reviewer's latest official review counts.
"""

from __future__ import annotations

import re

import peewee

from plue_core.accounts.models import Account
from plue_core.db import CompiledIdsSelect, CompiledSelect, utcnow, write_transaction
from plue_core.errors import Forbidden, Invalid, NotFound

from plue_pulls import diffing, protection, review_requests
from plue_pulls.events import PullRequestReviewEvent
from plue_pulls.models import Review, ReviewComment

# A commit's object name (SHA-1, or SHA-256's 64 digits: Review.commit_id's width).
_COMMIT_ID = re.compile(r"[0-9a-fA-F]{4,64}")

SUBMITTED = ("APPROVED", "REQUEST_CHANGES", "COMMENT")


def review_type(pull, doer, event: str, body: str, has_comments: bool) -> str:
    """Gitea's ``preparePullReviewType``: the state a review takes, or 422."""
    event = (event or "").upper()
    has_body = bool((body or "").strip())
    needs_body = True
    if event == "APPROVED":
        if pull.issue.poster_id == doer.id:
            raise Invalid("approve your own pull is not allowed")
        state, needs_body = "APPROVED", False
    elif event == "REQUEST_CHANGES":
        if pull.issue.poster_id == doer.id:
            raise Invalid("reject your own pull is not allowed")
        state = "REQUEST_CHANGES"
    elif event == "COMMENT":
        state, needs_body = "COMMENT", False
        if not has_body and not has_comments:
            raise Invalid(f"review event {event} requires a body or a comment")
    else:
        state = "PENDING"
    if needs_body and not has_body:
        raise Invalid(f"review event {event or 'PENDING'} requires a body")
    return state


def _check_open(pull, state: str) -> None:
    if state in ("APPROVED", "REQUEST_CHANGES") and (pull.issue.is_closed or pull.is_merged):
        raise Invalid("can't submit review for a closed or merged PR")


def _official(service, access, pull, doer, state: str) -> bool:
    if state not in ("APPROVED", "REQUEST_CHANGES"):
        return False
    rule = protection.rule_for(pull.base_repository, pull.base_branch)
    return protection.can_approve(service.accounts, rule.options if rule else None, doer,
                                  pull.base_repository, access.granted.allows("write"))


def pending_review_of(pull, doer) -> Review | None:
    return (Review.select().where((Review.pull == pull.id) & (Review.reviewer == doer.id)
                                  & (Review.state == "PENDING")).first())


def _line_comments(service, pull, comments: list[dict], commit_id: str) -> list[dict]:
    """Validated line comments: the path must be changed by the pull request and a line
    given (``new_position`` in the new file, else ``old_position`` in the old one)."""
    if not comments:
        return []
    files, _head = diffing.changed_files(service, pull)
    changed = {path for _code, path, _a, _d, _old in files} | {old for *_x, old in files if old}
    prepared = []
    for index, comment in enumerate(comments):
        path = comment["path"].strip("/")
        if path not in changed:
            raise Invalid(f"comments[{index}].path: {path!r} is not changed by pull request "
                          f"#{pull.issue.number}")
        line = comment.get("new_position") or 0
        if comment.get("old_position", 0) > 0:
            line = -comment["old_position"]
        if line == 0 or abs(line) > 10_000_000:
            raise Invalid(f"comments[{index}]: give new_position (a line of the new file) or "
                          "old_position (a line of the old file)")
        if not (comment.get("body") or "").strip():
            raise Invalid(f"comments[{index}].body: a line comment needs a body")
        prepared.append({"path": path, "line": line, "body": comment["body"],
                         "diff_hunk": diffing.hunk_for(service, pull, path, line, commit_id)})
    return prepared


def create_review(service, access, pull, doer, options: dict) -> Review:
    """``CreatePullReviewOptions``: a new review, or the reviewer's pending one submitted."""
    comments = options.get("comments") or []
    state = review_type(pull, doer, options.get("event"), options.get("body"), bool(comments))
    _check_open(pull, state)
    commit_id = options.get("commit_id") or pull.head_sha
    if not _COMMIT_ID.fullmatch(commit_id):
        raise Invalid(f"commit_id: {commit_id[:80]!r} is not a commit SHA (4 to 64 hex digits)")
    prepared = _line_comments(service, pull, comments, commit_id)
    official = _official(service, access, pull, doer, state)
    with write_transaction():
        moment = utcnow()
        review = pending_review_of(pull, doer)
        if review is None:
            review = Review.create(pull=pull.id, reviewer=doer.id, state=state,
                                   body=options.get("body") or "", commit_id=commit_id,
                                   official=official, created_at=moment, updated_at=moment)
        else:
            review.state, review.commit_id, review.official = state, commit_id, official
            review.body, review.updated_at = options.get("body") or review.body, moment
            review.save()
        for comment in prepared:
            ReviewComment.create(review=review.id, pull=pull.id, poster=doer.id,
                                 commit_id=commit_id, original_commit_id=commit_id,
                                 created_at=moment, updated_at=moment, **comment)
        _settle(service, pull, review, doer)
    review.reviewer = doer
    return review


def add_pending_comment(service, pull, doer, comment: dict) -> Review:
    """A line comment on ``doer``'s pending review, started when there is none (Gitea's
    "Start a review" / "Add review comment"): seen by the reviewer alone, announced by
    nothing, until the review is submitted with all its comments at once."""
    commit_id = pull.head_sha
    prepared = _line_comments(service, pull, [comment], commit_id)
    with write_transaction():
        moment = utcnow()
        review = pending_review_of(pull, doer)
        if review is None:
            review = Review.create(pull=pull.id, reviewer=doer.id, state="PENDING",
                                   commit_id=commit_id, created_at=moment, updated_at=moment)
        for line_comment in prepared:
            ReviewComment.create(review=review.id, pull=pull.id, poster=doer.id,
                                 commit_id=commit_id, original_commit_id=commit_id,
                                 created_at=moment, updated_at=moment, **line_comment)
    return review


def submit_review(service, access, pull, review: Review, doer, options: dict) -> Review:
    """``SubmitPullReviewOptions`` for a pending review."""
    if review.state != "PENDING":
        raise Invalid("only a pending review can be submitted")
    has_comments = ReviewComment.select().where(ReviewComment.review == review.id).exists()
    state = review_type(pull, doer, options.get("event"), options.get("body"), has_comments)
    if state == "PENDING":
        raise Invalid("review stay pending")
    _check_open(pull, state)
    with write_transaction():
        review.state, review.commit_id = state, pull.head_sha
        review.official = _official(service, access, pull, doer, state)
        review.body = options.get("body") or review.body
        review.updated_at = utcnow()
        review.save()
        ReviewComment.update(commit_id=pull.head_sha).where(ReviewComment.review == review.id).execute()
        _settle(service, pull, review, doer)
    return review


def _settle(service, pull, review: Review, doer) -> None:
    """After a submission: the review's row goes on the timeline (Gitea's ``review``
    comment, whose anchor is the review's ``html_url``), older official reviews of the
    reviewer stop counting, and the ``pull_request_review`` event fires."""
    if review.state == "PENDING":
        return
    if review.comment_id is None:
        review.comment_id = service.issues.record_review(pull.issue, doer, review.id, review.body)
        Review.update(comment_key=review.comment_id).where(Review.id == review.id).execute()
    review_requests.clear_request(pull, doer.id)
    if review.official:
        Review.update(official=False).where((Review.pull == pull.id) & (Review.reviewer == doer.id)
                                            & (Review.id != review.id)).execute()
    repository = pull.base_repository
    service.ctx.events.publish(PullRequestReviewEvent(
        repository_id=repository.id, owner=repository.owner.name, repository=repository.name,
        pull_request_id=pull.id, number=pull.issue.number, review_id=review.id,
        state=review.state, reviewer_id=doer.id, reviewer=doer.name, head_sha=pull.head_sha,
        private=bool(repository.is_private)))


def reviews_of(pull, viewer_account):
    """Every review, oldest first, without other people's pending ones."""
    return _visible(Review.select(), _scope(viewer_account), pull.id,
                    *([viewer_account.id] if _scope(viewer_account) == "member" else []))


def reviews_with_reviewers(pull, viewer_account) -> list[Review]:
    """:func:`reviews_of`'s rows, each with its ``reviewer`` joined: one statement, whose SQL
    is compiled once per kind of viewer (a pull request's page reads them on every visit)."""
    scope = _scope(viewer_account)
    return _WITH_REVIEWERS[scope].rows(
        pull.id, *([viewer_account.id] if scope == "member" else []))


def _scope(viewer_account) -> str:
    """Whose pending reviews a viewer sees: no one's, their own, or everyone's."""
    if viewer_account is None:
        return "anonymous"
    return "admin" if viewer_account.is_admin else "member"


def _visible(query, scope: str, pull_id, viewer_id=None):
    query = query.where(Review.pull == pull_id)
    if scope == "anonymous":
        query = query.where(Review.state != "PENDING")
    elif scope == "member":
        query = query.where((Review.state != "PENDING") | (Review.reviewer == viewer_id))
    return query.order_by(Review.id)


def _joined_reviewers():
    return (Review.select(Review, Account)
            .join(Account, peewee.JOIN.LEFT_OUTER, on=(Review.reviewer == Account.id)))


def line_comments_of(review_ids: list[int]) -> list[ReviewComment]:
    """The line comments of the reviews ``review_ids``, oldest first, each with its poster:
    one statement, compiled once per number of reviews (up to 64)."""
    return _LINE_COMMENTS.rows(ids=review_ids)


_LINE_COMMENTS = CompiledIdsSelect(
    lambda review_ids: ReviewComment.select(ReviewComment, Account)
    .join(Account, peewee.JOIN.LEFT_OUTER, on=(ReviewComment.poster == Account.id))
    .where(ReviewComment.review.in_(review_ids)).order_by(ReviewComment.id))
_WITH_REVIEWERS = {
    scope: CompiledSelect(lambda *ids, scope=scope: _visible(_joined_reviewers(), scope, *ids),
                          *([int, int] if scope == "member" else [int]))
    for scope in ("anonymous", "member", "admin")}


def get_review(pull, review_id, viewer_account) -> Review:
    review = Review.get_or_none((Review.id == review_id) & (Review.pull == pull.id))
    hidden = review is not None and review.state == "PENDING" and (
        viewer_account is None or (review.reviewer_id != viewer_account.id and not viewer_account.is_admin))
    if review is None or hidden:
        raise NotFound(f"review {review_id} does not exist in pull request #{pull.issue.number}")
    return review


def delete_review(service, review: Review, doer) -> None:
    """The review, its line comments and its timeline row; a dismissed review keeps its row
    until it is deleted so."""
    if review.reviewer_id != doer.id and not doer.is_admin:
        raise Forbidden("only the reviewer or a site administrator may delete a review")
    with write_transaction():
        service.issues.delete_review_rows(review.id)
        review.delete_instance(recursive=False)


def set_dismissed(access, review: Review, dismissed: bool) -> Review:
    """Gitea's dismissals: repository administrators, approvals and change requests only."""
    if not access.is_admin:
        raise Forbidden("Must be repo admin")
    if review.state not in ("APPROVED", "REQUEST_CHANGES"):
        raise Invalid(f"not allowed to dismiss review of type {review.state}")
    review.dismissed, review.updated_at = dismissed, utcnow()
    review.save()
    return review


def comments_of(review: Review):
    return (ReviewComment.select().where(ReviewComment.review == review.id)
            .order_by(ReviewComment.id))


def comment_counts(review_ids: list[int]) -> dict[int, int]:
    if not review_ids:
        return {}
    rows = (ReviewComment.select(ReviewComment.review, peewee.fn.COUNT(ReviewComment.id).alias("n"))
            .where(ReviewComment.review.in_(review_ids)).group_by(ReviewComment.review))
    return {row.review_id: row.n for row in rows}
