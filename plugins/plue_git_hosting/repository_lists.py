"""Lists of repositories: the API's (a user's, an organization's, the caller's own, a
repository's forks, the search) and the web's (home, explore and owner pages), each what
``identity`` may see by one rule (``permissions.visible_condition``). The API's lists are
queries the resources page through ``paginate``."""

from __future__ import annotations

import functools
import operator

import peewee

from plue_core.accounts.models import Account
from plue_core.errors import Invalid

from plue_git_hosting import permissions, topics
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
    # "mine" asks the viewer's organizations too: asked once for both (the front page's
    # lists were each asking twice).
    orgs = permissions.member_org_ids(accounts, identity.user_id) \
        if mine and identity is not None else None
    condition = permissions.visible_condition(accounts, identity, orgs=orgs)
    if condition is not None:
        query = query.where(condition)
    if owner is not None:
        query = query.where(Repository.owner == owner.id)
    if text := text.strip().lower():
        query = query.where(Repository.lower_name.contains(text)
                            | peewee.fn.LOWER(Repository.description).contains(text))
    if orgs is not None:
        query = query.where(_reached_by(identity.user_id, orgs))
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


def _reached_by(user_id: int, orgs: set[int]):
    """Owned by ``user_id``, shared with them as a collaborator, or owned by one of their
    organizations ``orgs``."""
    branches = permissions.reached_branches(user_id, orgs, per_owner=False)
    return functools.reduce(operator.or_, branches)


def reachable(accounts, identity, *, reach: int) -> tuple[peewee.Query, int]:
    """``GET /user/repos``: what the caller owns, collaborates on or reaches through an
    organization, by id — the page's query (the caller applies offset and limit, at most
    ``reach`` = offset + limit) and the total. What they reach they may also see, so the
    visibility condition adds nothing here."""
    branches = permissions.reached_branches(
        identity.user_id, permissions.member_org_ids(accounts, identity.user_id))
    return cut_page(branches, [], [Repository.id], reach), count_branches(branches, [])


def cut_page(branches: list, filters: list, ordering: list, reach: int) -> peewee.Query:
    """Repositories (owner joined) in ``ordering`` from the first ``reach`` of each branch
    (a condition, see ``permissions.visible_branches``) under ``filters``: the top ``reach``
    of their union are among those. Each branch reads its rows from an index in order and
    stops, where one OR over all of them had the database sort everything the caller may
    see (issue 13). A repository in two branches is listed once (``IN``); the branches are
    not made disjoint here, as that would have each walk past the rows of the others. The
    caller applies the page's offset and limit."""
    cuts = []
    for number, branch in enumerate(branches):
        rows = (Repository.select(Repository.id).join(Account).where(branch, *filters)
                .order_by(*ordering).limit(reach))
        cuts.append(peewee.Select(from_list=[rows.alias(f"b{number}")], columns=[peewee.SQL("*")]))
    ids = functools.reduce(lambda first, then: first.union_all(then), cuts)
    return (Repository.select(Repository, Account).join(Account).where(Repository.id.in_(ids))
            .order_by(*ordering))


def count_branches(branches: list, filters: list) -> int:
    """How many repositories the ``branches`` hold under ``filters``, in one statement: each
    branch less the ones before it counted from its index, the counts added."""
    counts = [Repository.select(peewee.fn.COUNT(peewee.SQL("*"))).join(Account)
              .where(branch, *filters) for branch in _disjoint(branches)]
    total = functools.reduce(
        lambda first, then: peewee.Select(columns=[peewee.Expression(first, "+", then)]), counts)
    return total.bind(Repository._meta.database).scalar() or 0


def _disjoint(branches: list) -> list:
    """Each branch less those before it (``NOT``), so no repository is in two."""
    disjoint, before = [], None
    for branch in branches:
        disjoint.append(branch if before is None else branch & ~before)
        before = branch if before is None else before | branch
    return disjoint


def owned_by(accounts, identity, owner: Account):
    """A user's or an organization's repositories that ``identity`` may see, by id."""
    return visible(accounts, identity).where(Repository.owner == owner).order_by(Repository.id)


def forks_of(accounts, identity, source: Repository):
    """The forks of ``source`` that ``identity`` may see, by id."""
    return (visible(accounts, identity).where(Repository.fork_parent == source)
            .order_by(Repository.id))


def search(accounts, identity, *, reach: int, q: str = "", topic: bool = False,
           include_desc: bool = False, uid: int | None = None, exclusive: bool = False,
           private: bool | None = None, is_private: bool | None = None,
           template: bool | None = None, archived: bool | None = None, mode: str = "",
           sort: str = "alpha", order: str = "asc",
           priority_owner_id: int | None = None) -> tuple[peewee.Query, int]:
    """Gitea's ``/repos/search``, its parameters already read from the query string: the
    page's query (the caller applies offset and limit, at most ``reach`` = offset + limit)
    and the total. An unknown ``mode``, ``sort`` or ``order`` is a 422 naming it."""
    filters = []
    if q := q.strip().lower():
        if topic:  # Gitea's TopicOnly: a topic named exactly so (any of a comma list)
            filters.append(Repository.id.in_(topics.carrying(
                [name.strip() for name in q.split(",") if name.strip()])))
        else:
            match = Repository.lower_name.contains(q)
            if include_desc:
                match |= peewee.fn.LOWER(Repository.description).contains(q)
            filters.append(match)
    if uid is not None and uid > 0:
        owned = Repository.owner == uid
        if not exclusive:
            owned |= Repository.id.in_(Collaborator.select(Collaborator.repository)
                                       .where(Collaborator.user == uid))
        filters.append(owned)
    if private is False or identity is None:
        filters.append(Repository.is_private == False)  # noqa: E712
    for value, column in ((is_private, Repository.is_private), (template, Repository.is_template),
                          (archived, Repository.is_archived)):
        if value is not None:
            filters.append(column == value)
    if mode == "fork":
        filters.append(Repository.is_fork == True)  # noqa: E712
    elif mode == "source":
        filters.append(Repository.is_fork == False)  # noqa: E712
    elif mode == "mirror":
        filters.append(Repository.id < 0)  # Plue hosts no mirrors
    elif mode == "collaborative" and identity is not None:
        filters.append(Repository.owner != identity.user_id)
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
    branches = permissions.visible_branches(accounts, identity)
    if branches is None:  # everything: public and private, each from its own index
        branches = [Repository.is_private == False, Repository.is_private == True]  # noqa: E712
    return (cut_page(branches, filters, ordering, reach),
            count_branches(branches, filters))
