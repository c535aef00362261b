"""Reactions to issues, pull requests and their comments (Gitea's ``issue reactions``): a
signed-in reader adds or removes their own, once per kind, from the instance's list
(``[issues] reactions``, Gitea's ``[ui] REACTIONS``); on a locked issue only writers may.
Gitea sends no webhook for them, and its ``Issue`` and ``Comment`` bodies do not carry them."""

from __future__ import annotations

from plue_core.accounts.models import Account
from plue_core.constraints import create_or_update
from plue_core.db import write_transaction
from plue_core.errors import Forbidden

from plue_issues.access import RepositoryAccess
from plue_issues.models import Comment, CommentReaction, Issue, IssueReaction, now


def _require_unlocked(issue: Issue, access: RepositoryAccess) -> None:
    if issue.is_locked and not access.can_write(issue.is_pull):
        raise Forbidden(f"#{issue.number} is locked: only writers may change its reactions")


def _target(issue: Issue, comment: Comment | None):
    """The table, the column naming what is reacted to and its id: the issue's own reactions
    or the comment's."""
    if comment is None:
        return IssueReaction, "issue", issue.id
    return CommentReaction, "comment", comment.id


def reactions_of(issue: Issue, comment: Comment | None = None):
    """The reactions, oldest first, with their users joined (``reaction.user``)."""
    model, column, target = _target(issue, comment)
    return (model.select(model, Account).join(Account, on=(model.user == Account.id))
            .where(getattr(model, column) == target).order_by(model.created_at, model.id))


def add_reaction(settings, access: RepositoryAccess, issue: Issue, user: Account, kind: str,
                 comment: Comment | None = None) -> tuple[object, bool]:
    """``user``'s reaction ``kind``: (the reaction, whether it is new). A second add of the same
    one is the first (Gitea answers it with 200, a new one with 201)."""
    _require_unlocked(issue, access)
    if kind not in settings["reactions"]:
        raise Forbidden(f"'{kind}' is not an allowed reaction")
    model, column, target = _target(issue, comment)

    def write():
        with write_transaction():
            found = model.get_or_none(user=user.id, type=kind, **{column: target})
            if found is not None:
                return found, False
            return model.create(user=user.id, type=kind, created_at=now(),
                                **{column: target}), True

    reaction, created = create_or_update(write)
    reaction.user = user
    return reaction, created


def remove_reaction(access: RepositoryAccess, issue: Issue, user: Account, kind: str,
                    comment: Comment | None = None) -> None:
    """Remove ``user``'s reaction ``kind``; none there (or a kind not allowed) is no error, as
    on Gitea."""
    _require_unlocked(issue, access)
    model, column, target = _target(issue, comment)
    with write_transaction():
        model.delete().where(model.user == user.id, model.type == kind,
                             getattr(model, column) == target).execute()

