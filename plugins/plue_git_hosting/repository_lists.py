"""Lists of repositories a face shows (the web's home, explore and owner pages): what
``identity`` may see, by the same rule as the API's lists (``permissions.visible_condition``)."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account

from plue_git_hosting import permissions
from plue_git_hosting.models import Collaborator, Repository


def list_repositories(accounts, identity, *, owner: Account | None = None, text: str = "",
                      mine: bool = False, offset: int = 0,
                      limit: int = 30) -> tuple[list[Repository], int]:
    """A page of the repositories ``identity`` may see (owner joined), newest update first,
    and their count. ``owner``: only theirs; ``text``: name or description contains it;
    ``mine``: only those ``identity`` owns, collaborates on or reaches through an organization."""
    query = _filtered(Repository.select(Repository, Account).join(Account), accounts,
                      identity, owner=owner, text=text, mine=mine)
    total = query.count()
    rows = list(query.order_by(Repository.updated_at.desc(), Repository.id.desc())
                .offset(offset).limit(limit))
    return rows, total


def repository_ids(accounts, identity, *, mine: bool = False) -> peewee.Query:
    """A subquery of the ids :func:`list_repositories` would list (every page), for other
    plugins' rows: the front page's activity of ``mine``."""
    return _filtered(Repository.select(Repository.id).join(Account), accounts, identity,
                     mine=mine)


def _filtered(query, accounts, identity, *, owner: Account | None = None, text: str = "",
              mine: bool = False):
    condition = permissions.visible_condition(accounts, identity)
    if condition is not None:
        query = query.where(condition)
    if owner is not None:
        query = query.where(Repository.owner == owner.id)
    if text := text.strip().lower():
        query = query.where(Repository.lower_name.contains(text)
                            | peewee.fn.LOWER(Repository.description).contains(text))
    if mine and identity is not None:
        reached = ((Repository.owner == identity.user_id)
                   | Repository.id.in_(Collaborator.select(Collaborator.repository)
                                       .where(Collaborator.user == identity.user_id)))
        if orgs := permissions.member_org_ids(accounts, identity.user_id):
            reached |= Repository.owner.in_(list(orgs))
        query = query.where(reached)
    return query
