"""Who may do what to a repository: the one ladder and the one access check of Plue.

Levels, lowest first: none, read, write, admin (``at_least`` compares them). Site
administrators and the owner get admin; in an organization the member's best team permission
applies to every repository (owner and admin teams give admin); collaborators get their grant;
everyone who may see the owner may read a public repository. ``require_repository`` is the
check every face uses (through ``ctx.services["git_hosting"].require_repository``): 404 below
read (a private repository does not exist for outsiders), 403 below what the action needs,
423 for a write to an archived repository.
"""

from __future__ import annotations

import dataclasses
import functools
import operator

import peewee

from plue_core.accounts.models import Account, ShownAccount
from plue_core.db import CompiledSelect
from plue_core.errors import Forbidden, Locked, NotFound
from plue_core.identity import Identity, current_identity

from plue_git_hosting import redirects, team_repositories
from plue_git_hosting.models import Branch, Collaborator, Repository

LEVELS = ("none", "read", "write", "admin")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_FROM_TEAM = {"owner": "admin", "admin": "admin", "write": "write", "read": "read"}


# The lookup of nearly every request, compiled once (a wide join: peewee's SQL building
# cost more than the query itself). The owner as ``ShownAccount`` reads it: what its body and
# the access checks use, never its password hash.
def _with_owner(*columns) -> peewee.ModelSelect:
    return Repository.select(Repository, ShownAccount, *columns).join(
        ShownAccount, on=Repository.owner == ShownAccount.id, attr="owner")


_BY_NAME = CompiledSelect(
    lambda owner, repo: _with_owner()
    .where((ShownAccount.lower_name == owner) & (Repository.lower_name == repo)).limit(1), str, str)
_BY_ID = CompiledSelect(lambda id_: _with_owner().where(Repository.id == id_).limit(1), int)
# The same lookup with the ``Repository`` body's branch count as a column
# (``repository.branch_count``), for a request that renders the body: one round trip where the
# count was a second statement (on PostgreSQL each is a round trip to the server; issue 13).
_BY_NAME_COUNTED = CompiledSelect(
    lambda owner, repo: _with_owner(
        Branch.select(peewee.fn.COUNT(Branch.id)).where(Branch.repository == Repository.id)
        .alias("branch_count"))
    .where((ShownAccount.lower_name == owner) & (Repository.lower_name == repo))
    .limit(1), str, str)


def find_repository(owner_name: str, repo_name: str, *,
                    branch_count: bool = False) -> Repository | None:
    """The repository with its owner; with ``branch_count``, its branches counted in the same
    statement (``repository.branch_count``)."""
    lookup = _BY_NAME_COUNTED if branch_count else _BY_NAME
    return lookup.first((owner_name or "").lower(), (repo_name or "").lower())


def find_repository_by_id(repository_id: int) -> Repository | None:
    if not 0 < repository_id < 2 ** 63:  # no such id, and the database could not even compare it
        return None
    return _BY_ID.first(repository_id)


def at_least(level: str, needed: str) -> bool:
    """Whether ``level`` is ``needed`` or above it on the ladder."""
    return _RANK[level] >= _RANK[needed]


def _best(*levels: str) -> str:
    return max(levels, key=_RANK.__getitem__)


def resolve(accounts, identity: Identity | None, repository: Repository,
            *, org_levels: dict | None = None, grants: dict | None = None) -> str:
    """The permission of ``identity`` on ``repository``. ``org_levels`` and ``grants`` are
    optional memos (org id -> team level, repository id -> collaborator level)."""
    owner = repository.owner
    level = "none"
    if identity is not None:
        # A token without repository scope sees only what anonymous callers see.
        scoped_out = not identity.allows("read", "repository")
        if not scoped_out:
            if identity.is_admin or identity.user_id == repository.owner_id:
                return "admin"
            if owner.is_organization:
                if org_levels is not None and owner.id in org_levels:
                    teams = org_levels[owner.id]
                else:
                    teams = accounts.teams_in_org_of(owner.id, identity.user_id)
                    if org_levels is not None:
                        org_levels[owner.id] = teams
                level = _team_level(teams, repository.id)
            if grants is not None:
                grant = grants.get(repository.id)
            else:
                row = (Collaborator.select(Collaborator.permission)
                       .where((Collaborator.repository == repository.id)
                              & (Collaborator.user == identity.user_id)).first())
                grant = row.permission if row else None
            if grant:
                level = _best(level, grant)
    if level == "none" and not repository.is_private and accounts.can_see_account(identity, owner):
        level = "read"
    return level


def _team_level(teams: list[tuple[int, str, bool]], repository_id: int) -> str:
    """The best level the member's ``teams`` (id, permission, includes all repositories) give
    on one repository of their org: a team that includes all reaches it, another only when
    it lists it — asked (one query) only when such a team would raise the level."""
    level, listed = "none", []
    for team_id, permission, includes_all in teams:
        if includes_all:
            level = _best(level, _FROM_TEAM[permission])
        else:
            listed.append((team_id, _FROM_TEAM[permission]))
    listed = [(team_id, team_level) for team_id, team_level in listed if _RANK[team_level] > _RANK[level]]
    if listed:
        level = _best(level, *team_repositories.levels_listing(listed, repository_id))
    return level


class RequestPermissions:
    """The memo for one request: each (repository) resolved once, org levels and
    collaborator grants fetched once for a whole list."""

    def __init__(self, accounts, identity: Identity | None):
        self.accounts = accounts
        self.identity = identity
        self._levels: dict[int, str] = {}
        self._org_levels: dict[int, str] = {}
        self._grants: dict[int, str] | None = None

    def prefetch(self, repositories: list[Repository]) -> None:
        """One query for the caller's collaborator grants on a list of repositories."""
        if self.identity is None or not repositories:
            return
        ids = [r.id for r in repositories]
        rows = (Collaborator.select(Collaborator.repository, Collaborator.permission)
                .where((Collaborator.user == self.identity.user_id)
                       & (Collaborator.repository.in_(ids))))
        grants = {row.repository_id: row.permission for row in rows}
        self._grants = {**(self._grants or {}), **{i: grants.get(i) for i in ids}}

    def level(self, repository: Repository) -> str:
        if repository.id not in self._levels:
            grants = self._grants if self._grants is not None and repository.id in self._grants else None
            self._levels[repository.id] = resolve(self.accounts, self.identity, repository,
                                                  org_levels=self._org_levels, grants=grants)
        return self._levels[repository.id]

    def forget(self, repository: Repository) -> None:
        self._levels.pop(repository.id, None)

    def can(self, repository: Repository, needed: str) -> bool:
        return at_least(self.level(repository), needed)


class GrantedPermissions(RequestPermissions):
    """The levels of a credential that is no user, such as an SSH deploy key: what it was
    granted on given repositories (repository id -> level), and elsewhere what anonymous
    callers get (a public repository can be read, a private one does not exist)."""

    def __init__(self, accounts, grants: dict[int, str]):
        super().__init__(accounts, None)
        self.grants = dict(grants)

    def level(self, repository: Repository) -> str:
        return _best(self.grants.get(repository.id, "none"), super().level(repository))


def for_request(req, accounts) -> RequestPermissions:
    memo = getattr(req.context, "git_permissions", None)
    if memo is None:
        memo = RequestPermissions(accounts, current_identity(req))
        req.context.git_permissions = memo
    return memo


@dataclasses.dataclass(frozen=True)
class RepositoryAccess:
    """A repository the caller may see (owner joined) and their level on it."""

    repository: Repository
    level: str

    def allows(self, needed: str) -> bool:
        return at_least(self.level, needed)

    def require(self, needed: str, to: str = "") -> Repository:
        """The repository when the level is at least ``needed``; 403 otherwise (``to``: what
        for, said in the message)."""
        if not self.allows(needed):
            raise Forbidden(f"{needed} permission on {self.repository.full_name} is required"
                            + (f" to {to}" if to else ""))
        return self.repository


def require_repository(memo: RequestPermissions, owner_name: str, repo_name: str,
                       needed: str = "read", *, writes: bool = False,
                       to: str = "", branch_count: bool = False,
                       follow_redirect: bool = False) -> RepositoryAccess:
    """The one access check. 404 when the repository is absent or the caller may not read it
    (the same answer, so a private repository's existence is never revealed); 403 below
    ``needed``; :class:`Locked` (423) when the action ``writes`` to an archived repository.
    ``branch_count``: read the repository's branch count with it (:func:`find_repository`).
    An old name of a renamed repository the caller may read (``redirects``) raises
    ``RepositoryMoved`` (307 to its new path), or with ``follow_redirect`` is that
    repository (Gitea's SSH ``serv``)."""
    repository = find_repository(owner_name, repo_name, branch_count=branch_count)
    if repository is None:  # only here, off the common path: is it an old name?
        moved_to = find_repository_by_id(redirects.target_id(owner_name, repo_name) or 0)
        if moved_to is not None and memo.can(moved_to, "read"):
            if not follow_redirect:
                raise redirects.RepositoryMoved(moved_to, owner_name, repo_name)
            repository = moved_to
    if repository is None or not memo.can(repository, "read"):
        raise NotFound(f"repository {owner_name}/{repo_name} does not exist")
    access = RepositoryAccess(repository, memo.level(repository))
    access.require(needed, to)
    if writes and repository.is_archived:
        raise Locked(f"repository {repository.full_name} is archived")
    return access


def readers_among(accounts, repository_id: int, user_ids) -> set[int]:
    """Which of ``user_ids`` may read ``repository_id``, in one statement however many they
    are: the rule of :func:`visible_ids_of_shape` for a user's full credential, asked of each
    candidate at once (the subquery correlated on the candidate), site administrators too."""
    user_ids = list(user_ids)
    if not user_ids:
        return set()
    candidate = Account.alias("candidate")
    visible = visible_ids_of_shape(accounts, "member", candidate.id)
    reaches = peewee.fn.EXISTS(visible.where(Repository.id == repository_id))
    query = (candidate.select(candidate.id)
             .where(candidate.id.in_(user_ids) & (candidate.is_admin | reaches)))
    return {row[0] for row in query.tuples()}


def member_org_ids(accounts, user_id: int) -> set[int]:
    """Organizations the user belongs to (any team), for visibility filters in SQL."""
    return accounts.org_ids_of_user(user_id)


def visible_condition(accounts, identity: Identity | None, *, orgs: set[int] | None = None):
    """A peewee condition on ``Repository`` joined to ``Account`` (the owner): what a list
    may show to ``identity`` (None: everything). Mirrors :func:`resolve` so lists and single
    GETs agree. ``orgs``: ``identity``'s organizations when the caller asked already."""
    branches = visible_branches(accounts, identity, per_owner=False, orgs=orgs)
    return None if branches is None else functools.reduce(operator.or_, branches)


def visible_branches(accounts, identity: Identity | None, *, per_owner: bool = True,
                     orgs: set[int] | None = None) -> list | None:
    """The ways ``identity`` sees repositories (None: everything), whose OR is
    :func:`visible_condition`: their own, their organizations' (``per_owner``: one condition
    per organization), those shared with them as a collaborator, and the public ones. Each is
    a condition an index can order, so a list can cut a page from each (``repository_lists``)
    instead of sorting all it may see."""
    shape, user_id = visibility_shape(identity)
    if shape == "all":
        return None  # no filter
    if orgs is None and shape not in ("anonymous", "all-public"):
        orgs = member_org_ids(accounts, user_id)
    return _branches(shape, user_id, sorted(orgs) if orgs else None, per_owner=per_owner)


def visibility_shape(identity: Identity | None) -> tuple[str, int | None]:
    """What the SQL of the repositories ``identity`` may see depends on, and the one value it
    binds: ``("anonymous", None)``, ``("all", None)`` (a site administrator whose credential
    reads repositories), ``("all-public", None)`` (a site administrator's token without
    repository scope: the public repositories of every owner, since an administrator sees
    every account — as :func:`resolve` answers), ``("public", user id)`` (a token without
    repository scope: the public repositories of the owners the user may see) or
    ``("member", user id)``."""
    if identity is None:
        return "anonymous", None
    reads = identity.allows("read", "repository")
    if identity.is_admin:
        return ("all" if reads else "all-public"), None
    return ("member" if reads else "public"), identity.user_id


def visible_ids_of_shape(accounts, shape: str, user_id) -> peewee.ModelSelect:
    """The compiled form of :func:`visible_branches`: a subquery of the ids of the
    repositories a caller of ``shape`` (:func:`visibility_shape`) may see, whose SQL depends
    on ``shape`` alone — the caller's organizations are a subquery on ``user_id``, not a
    list — so a query built on it compiles once per shape (``CompiledSelect``, with
    ``user_id`` its placeholder)."""
    query = Repository.select(Repository.id).join(Account)
    if shape == "all":
        return query
    orgs = accounts.org_ids_select(user_id) if shape not in ("anonymous", "all-public") else None
    return query.where(functools.reduce(
        operator.or_, _branches(shape, user_id, orgs, per_owner=False)))


def _branches(shape: str, user_id, orgs, *, per_owner: bool) -> list:
    """:func:`visible_branches` for a ``shape`` other than "all"; ``orgs``: the user's
    organizations, a sorted list or a subquery (None: none)."""
    public_owner = Account.visibility == "public"
    if shape == "anonymous":
        return [(Repository.is_private == False) & public_owner]  # noqa: E712
    if shape == "all-public":
        return [Repository.is_private == False]  # noqa: E712
    owner_visible = public_owner | (Account.visibility == "limited") | (Account.id == user_id)
    if orgs is not None:
        owner_visible |= Account.id.in_(orgs)
    public = (Repository.is_private == False) & owner_visible  # noqa: E712
    if shape == "public":
        return [public]
    return reached_branches(user_id, orgs, per_owner=per_owner) + [public]


def reached_branches(user_id: int, orgs, *, per_owner: bool = True) -> list:
    """What ``user_id`` owns, what their teams reach of their organizations ``orgs``
    (``per_owner``: one condition per organization, each read from the owner's index in
    order) and what is shared with them as a collaborator. A team reaches every repository
    of its org when it includes all of them, else those listed for it (team_repositories)."""
    grants = Collaborator.select(Collaborator.repository).where(Collaborator.user == user_id)
    team_reach = team_repositories.reached_condition(user_id)
    if isinstance(orgs, peewee.SelectBase):  # a subquery (``visible_ids_of_shape``)
        owned = [team_reach]
    elif not orgs:
        owned = []
    elif per_owner:
        owned = [(Repository.owner == org) & team_reach for org in sorted(orgs)]
    else:
        owned = [Repository.owner.in_(list(orgs)) & team_reach]
    return [Repository.owner == user_id] + owned + [Repository.id.in_(grants)]
