"""Comments on issues and pull requests. The poster and writers of the repository may edit
or delete a comment (Gitea's ``CanWriteIssuesOrPulls``); only ``kind == "comment"`` rows are
served by the comment API, other kinds belong to the pulls plugin's reviews."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account
from plue_core.constraints import still_there
from plue_core.db import write_transaction
from plue_core.errors import Forbidden, Invalid, NotFound

from plue_issues.access import RepositoryAccess
from plue_issues.events import IssueCommentEvent
from plue_issues.lock import COMMENT_ON_LOCKED
from plue_issues.mentions import record_mentions
from plue_issues.references import neuter_comment_references, record_text_references
from plue_issues.models import Comment, Issue, now

PLAIN = "comment"


def check_body(body) -> str:
    if body is None or not str(body).strip():
        raise Invalid("body: the comment body must not be empty")
    return body


def _publish(ctx, comment: Comment, action: str, doer: Account) -> None:
    issue = comment.issue
    repository = issue.repository
    ctx.events.publish(IssueCommentEvent(
        repository_id=repository.id, owner=repository.owner.name, repository=repository.name,
        issue_id=issue.id, number=issue.number, is_pull=bool(issue.is_pull),
        comment_id=comment.id, action=action, commenter_id=doer.id, commenter=doer.name,
        body=comment.body, private=bool(repository.is_private)))


def comments_with_posters():
    return (Comment.select(Comment, Account)
            .join(Account, peewee.JOIN.LEFT_OUTER, on=(Comment.poster == Account.id)))


def create_comment(ctx, access: RepositoryAccess, issue: Issue, poster: Account, body: str, *,
                   kind: str = PLAIN) -> Comment:
    """Comment on ``issue``: any reader who is signed in may, unless the issue is locked."""
    check_body(body)
    if issue.is_locked and not access.can_write(issue.is_pull) and not poster.is_admin:
        raise Forbidden(COMMENT_ON_LOCKED)
    with write_transaction():
        moment = now()
        comment = Comment.create(issue=issue.id, poster=poster.id, kind=kind, body=body,
                                 created_at=moment, updated_at=moment)
        comment.issue, comment.poster = issue, poster
        if kind == PLAIN:
            Issue.update(num_comments=Issue.num_comments + 1, updated_at=moment).where(
                Issue.id == issue.id).execute()
            issue.num_comments += 1
        else:
            Issue.update(updated_at=moment).where(Issue.id == issue.id).execute()
        issue.updated_at = moment
        record_mentions(issue.id, body)
        if kind == PLAIN:
            record_text_references(ctx.services["git_hosting"], issue, poster, body,
                                   comment=comment)
        _publish(ctx, comment, "created", poster)
    return comment


def find_comment(access: RepositoryAccess, comment_id: int) -> Comment:
    """A comment of this repository the caller may read; 404 otherwise."""
    comment = comments_with_posters().where(Comment.id == comment_id).first()
    if comment is None:
        raise NotFound(f"comment {comment_id} does not exist")
    issue = Issue.get_by_id(comment.issue_id)
    if issue.repository_id != access.repository.id:
        raise NotFound(f"comment {comment_id} does not exist in {access.full_name}")
    access.require_unit(issue.is_pull)
    issue.repository = access.repository
    comment.issue = issue
    return comment


def comment_by_id(hosting, comment_id: int) -> Comment | None:
    """A comment with its poster, its issue and the issue's repository, by id."""
    comment = comments_with_posters().where(Comment.id == comment_id).first()
    if comment is not None:
        comment.issue.repository = hosting.get_repository_by_id(comment.issue.repository_id)
    return comment


def require_editor(access: RepositoryAccess, comment: Comment, doer: Account, what: str) -> None:
    if comment.poster_id != doer.id and not access.can_write(comment.issue.is_pull):
        raise Forbidden(f"only the poster or a writer of {access.full_name} may {what} "
                        f"comment {comment.id}")


def edit_comment(ctx, access: RepositoryAccess, comment: Comment, body: str,
                 doer: Account) -> Comment:
    require_editor(access, comment, doer, "edit")
    check_body(body)
    if body == comment.body:
        return comment
    with write_transaction():
        comment.body, comment.updated_at = body, now()
        Comment.update(body=body, updated_at=comment.updated_at).where(
            Comment.id == comment.id).execute()
        record_mentions(comment.issue_id, body)
        if comment.kind == PLAIN:
            record_text_references(ctx.services["git_hosting"], comment.issue, doer, body,
                                   comment=comment, edited=True)
        _publish(ctx, comment, "edited", doer)
    return comment


def delete_comment(ctx, access: RepositoryAccess, comment: Comment, doer: Account) -> None:
    require_editor(access, comment, doer, "delete")
    with write_transaction():
        if not still_there(Comment, comment.id):  # a concurrent deletion won: count it once
            raise NotFound(f"comment {comment.id} does not exist")
        _publish(ctx, comment, "deleted", doer)
        neuter_comment_references(comment)
        ctx.services["attachments"].delete_of(comment_ids=[comment.id])
        comment.delete_instance()
        if comment.kind == PLAIN:
            Issue.update(num_comments=Issue.num_comments - 1).where(
                Issue.id == comment.issue_id).execute()


def _between(query, since, before):
    if since is not None:
        query = query.where(Comment.updated_at >= since)
    if before is not None:
        query = query.where(Comment.updated_at <= before)
    return query


def comments_of_issue(issue: Issue, *, since=None, before=None):
    query = comments_with_posters().where((Comment.issue == issue.id) & (Comment.kind == PLAIN))
    return _between(query, since, before).order_by(Comment.created_at, Comment.id)


def comments_of_repository(access: RepositoryAccess, *, since=None, before=None):
    """Every plain comment of the repository on issues and pull requests the caller may read,
    oldest first; ``comment.issue`` is joined."""
    query = (Comment.select(Comment, Account, Issue)
             .join(Account, peewee.JOIN.LEFT_OUTER, on=(Comment.poster == Account.id))
             .switch(Comment).join(Issue, on=(Comment.issue == Issue.id))
             .where((Issue.repository == access.repository.id) & (Comment.kind == PLAIN)))
    readable = [is_pull for is_pull in (False, True) if access.can_read(is_pull)]
    if len(readable) == 1:
        query = query.where(Issue.is_pull == readable[0])
    return _between(query, since, before).order_by(Comment.created_at, Comment.id)
