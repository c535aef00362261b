"""The files attached to issues and comments, as Gitea's API keeps them
(routers/api/v1/repo/issue_attachment.go, issue_comment_attachment.go): the rows and bytes
live in the one attachment store (``ctx.services["attachments"]``); this module decides who
may change them and which belong to what. A comment's file names its issue too, so deleting
an issue takes its comments' files with it."""

from __future__ import annotations

from plue_core.errors import Forbidden, NotFound

from plue_issues.access import RepositoryAccess, for_repository_permission
from plue_issues.models import Issue


def require_enabled(store) -> None:
    """Gitea's ``mustEnableAttachments``: with ``[attachment] enabled = false`` these routes
    do not exist."""
    if not store.settings["enabled"]:
        raise NotFound("attachments are disabled")


def require_issue_writer(access: RepositoryAccess, issue: Issue, doer) -> None:
    """The poster, an administrator of the repository or the site, or a writer of its issues
    (pull requests) may add, rename and delete an issue's files."""
    if not (doer.id == issue.poster_id or access.is_admin or doer.is_admin
            or access.can_write(issue.is_pull)):
        raise Forbidden("user should have permission to write issue")


def require_comment_writer(access: RepositoryAccess, comment, doer) -> None:
    """Gitea's rule for a comment's files: its poster or an administrator, who can also
    write the issues (pull requests)."""
    if not ((doer.id == comment.poster_id or access.is_admin or doer.is_admin)
            and access.can_write(comment.issue.is_pull)):
        raise Forbidden("user should have permission to edit comment")


def of_issue(store, access: RepositoryAccess, issue: Issue, attachment_id: int):
    """An attachment of the issue (its comments' included, as Gitea's); 404 otherwise."""
    found = store.get(attachment_id)
    if (found is None or found.repository_id != access.repository.id
            or found.issue_id != issue.id):
        raise NotFound("no such attachment in issue")
    return found


def of_comment(store, access: RepositoryAccess, comment, attachment_id: int):
    found = store.get(attachment_id)
    if (found is None or found.repository_id != access.repository.id
            or found.comment_id != comment.id):
        raise NotFound("no such attachment in comment")
    return found


def upload(store, access: RepositoryAccess, issue: Issue, doer, name: str, stream, *,
           comment=None, length: int | None = None):
    """Store the file with ``[attachment]``'s size limit and allowed types (413, 422)."""
    max_bytes, allowed_types = store.issue_limits()
    owner = {"repository_id": access.repository.id, "issue_id": issue.id,
             "comment_id": comment.id if comment is not None else None}
    return store.store(owner, doer.id, name, stream, max_bytes=max_bytes,
                       allowed_types=allowed_types, length=length)


def rename(store, attachment, name: str | None):
    return store.rename(attachment, name, store.issue_limits()[1])


def readable(hosting, identity, attachment) -> bool:
    """Whether ``identity`` may download an issue's or comment's file
    (``/attachments/{uuid}``): it reads the repository's issues (pull requests)."""
    issue = Issue.get_or_none(Issue.id == attachment.issue_id)
    repository = hosting.get_repository_by_id(issue.repository_id) if issue is not None else None
    if repository is None:
        return False
    unit = repository.has_pull_requests if issue.is_pull else repository.has_issues
    return bool(unit) and hosting.allows(for_repository_permission(identity), repository, "read")
