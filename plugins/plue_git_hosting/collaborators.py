"""Collaborators: users granted read, write or admin on one repository."""

from __future__ import annotations

from plue_core.db import CompiledSelect, write_transaction
from plue_core.errors import Invalid, NotFound
from plue_core.identity import Identity

from plue_git_hosting import permissions
from plue_git_hosting.models import Collaborator, Repository, TeamRepository


def find_user_or_422(accounts, username: str):
    user = accounts.find_user(username)
    if user is None:
        raise Invalid(f"user {username!r} does not exist")
    return user


def add_collaborator(repository: Repository, user, permission: str) -> None:
    if user.id == repository.owner_id:
        raise Invalid(f"{user.name!r} owns {repository.full_name}; owners need no grant")
    with write_transaction():
        updated = (Collaborator.update(permission=permission)
                   .where((Collaborator.repository == repository) & (Collaborator.user == user))
                   .execute())
        if not updated:
            Collaborator.create(repository=repository, user=user, permission=permission)


def remove_collaborator(repository: Repository, user) -> None:
    deleted = (Collaborator.delete()
               .where((Collaborator.repository == repository) & (Collaborator.user == user))
               .execute())
    if not deleted:
        raise NotFound(f"{user.name!r} is not a collaborator of {repository.full_name}")


def is_collaborator(repository: Repository, user) -> bool:
    return Collaborator.select().where((Collaborator.repository == repository)
                                       & (Collaborator.user == user)).exists()


def permission_of_user(accounts, repository: Repository, user) -> str:
    """What ``user`` may do, as the resolver sees them when they call the API themselves."""
    identity = Identity(user_id=user.id, username=user.name, is_admin=user.is_admin)
    return permissions.resolve(accounts, identity, repository)


def collaborators_query(repository: Repository):
    """The accounts of the repository's collaborators, by name."""
    from plue_core.accounts.models import Account

    return (Account.select().join(Collaborator, on=(Collaborator.user == Account.id))
            .where(Collaborator.repository == repository).order_by(Account.lower_name))


def assignees_query(repository: Repository):
    """Gitea's ``GetRepoAssignees``: the users who may be assigned, i.e. who can write the
    repository — its owner when a user, collaborators with write or admin, and for an
    organization's repository the members of its write, admin and owner teams that reach it
    (team_repositories). Ordered by name."""
    return _assignees(repository.id, repository.owner_id, repository.owner.is_organization)


def assignable_users(repository: Repository, limit: int = 100) -> list:
    """The first ``limit`` of :func:`assignees_query` (an issue form's choices): its SQL
    compiled once for a user's repositories and once for an organization's."""
    return _ASSIGNABLE[bool(repository.owner.is_organization)].rows(
        repository.id, repository.owner_id, limit)


def _assignees(repository_id, owner_id, of_organization: bool):
    from plue_core.accounts.models import USER, Account, Team, TeamMember

    writers = (Collaborator.select(Collaborator.user)
               .where((Collaborator.repository == repository_id)
                      & Collaborator.permission.in_(("write", "admin"))))
    condition = Account.id.in_(writers)
    if of_organization:
        listing = (TeamRepository.select(TeamRepository.team)
                   .where(TeamRepository.repository == repository_id))
        team_writers = (TeamMember.select(TeamMember.user).join(Team)
                        .where((Team.org == owner_id)
                               & Team.permission.in_(("write", "admin", "owner"))
                               & (Team.includes_all_repositories | Team.id.in_(listing))))
        condition |= Account.id.in_(team_writers)
    else:
        condition |= Account.id == owner_id
    return Account.select().where(condition & (Account.type == USER)).order_by(Account.lower_name)


_ASSIGNABLE = {of_organization: CompiledSelect(
    lambda repository_id, owner_id, limit, of_organization=of_organization:
    _assignees(repository_id, owner_id, of_organization).limit(limit), int, int, int)
    for of_organization in (False, True)}
