"""Lists of repositories: the API's (a user's, an organization's, the caller's own, a
repository's forks, the search) and the web's (home, explore and owner pages), each what
``identity`` may see by one rule (``permissions.visible_condition``). The API's lists are
queries the resources page through ``paginate``."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account
from plue_core.errors import Invalid

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
        query = query.where(_reached_by(accounts, identity.user_id))
    return query


SORTS = {"alpha": Repository.lower_name, "created": Repository.created_at,
         "updated": Repository.updated_at, "size": Repository.size, "git_size": Repository.size,
         "lfs_size": Repository.size, "stars": Repository.num_stars,
         "forks": Repository.num_forks, "id": Repository.id}
MODES = ("fork", "source", "mirror", "collaborative")


def visible(accounts, identity):
    """The repositories ``identity`` may see, their owner joined."""
    query = Repository.select(Repository, Account).join(Account)
    condition = permissions.visible_condition(accounts, identity)
    return query.where(condition) if condition is not None else query


def _reached_by(accounts, user_id: int):
    """Owned by ``user_id``, shared with them as a collaborator, or owned by one of their
    organizations."""
    reached = ((Repository.owner == user_id)
               | Repository.id.in_(Collaborator.select(Collaborator.repository)
                                   .where(Collaborator.user == user_id)))
    if orgs := permissions.member_org_ids(accounts, user_id):
        reached |= Repository.owner.in_(list(orgs))
    return reached


def reachable(accounts, identity):
    """``GET /user/repos``: what the caller owns, collaborates on or reaches through an
    organization, by id."""
    return (visible(accounts, identity).where(_reached_by(accounts, identity.user_id))
            .order_by(Repository.id))


def owned_by(accounts, identity, owner: Account):
    """A user's or an organization's repositories that ``identity`` may see, by id."""
    return visible(accounts, identity).where(Repository.owner == owner).order_by(Repository.id)


def forks_of(accounts, identity, source: Repository):
    """The forks of ``source`` that ``identity`` may see, by id."""
    return (visible(accounts, identity).where(Repository.fork_parent == source)
            .order_by(Repository.id))


def search(accounts, identity, *, q: str = "", topic: bool = False, include_desc: bool = False,
           uid: int | None = None, exclusive: bool = False, private: bool | None = None,
           is_private: bool | None = None, template: bool | None = None,
           archived: bool | None = None, mode: str = "", sort: str = "alpha",
           order: str = "asc", priority_owner_id: int | None = None):
    """Gitea's ``/repos/search``, its parameters already read from the query string; an
    unknown ``mode``, ``sort`` or ``order`` is a 422 naming it."""
    query = visible(accounts, identity)
    if q := q.strip().lower():
        if topic:
            query = query.where(Repository.topics.contains(q))
        else:
            match = Repository.lower_name.contains(q)
            if include_desc:
                match |= peewee.fn.LOWER(Repository.description).contains(q)
            query = query.where(match)
    if uid is not None and uid > 0:
        owned = Repository.owner == uid
        if not exclusive:
            owned |= Repository.id.in_(Collaborator.select(Collaborator.repository)
                                       .where(Collaborator.user == uid))
        query = query.where(owned)
    if private is False or identity is None:
        query = query.where(Repository.is_private == False)  # noqa: E712
    for value, column in ((is_private, Repository.is_private), (template, Repository.is_template),
                          (archived, Repository.is_archived)):
        if value is not None:
            query = query.where(column == value)
    if mode == "fork":
        query = query.where(Repository.is_fork == True)  # noqa: E712
    elif mode == "source":
        query = query.where(Repository.is_fork == False)  # noqa: E712
    elif mode == "mirror":
        query = query.where(Repository.id < 0)  # Plue hosts no mirrors
    elif mode == "collaborative" and identity is not None:
        query = query.where(Repository.owner != identity.user_id)
    elif mode not in ("",) + MODES:
        raise Invalid(f"mode: must be one of {', '.join(MODES)}; got {mode!r}")
    if sort not in SORTS:
        raise Invalid(f"sort: invalid sort {sort!r}; use one of {', '.join(SORTS)}")
    order = order.lower()
    if order not in ("asc", "desc"):
        raise Invalid(f"order: must be asc or desc, got {order!r}")
    column = SORTS[sort]
    ordering = [column.desc() if order == "desc" else column.asc(), Repository.id]
    if priority_owner_id is not None:
        ordering.insert(0, peewee.Case(None, [(Repository.owner == priority_owner_id, 0)], 1))
    return query.order_by(*ordering)
