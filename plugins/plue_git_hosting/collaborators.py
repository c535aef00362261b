"""Collaborators: users granted read, write or admin on one repository."""

from __future__ import annotations

from plue_core.db import write_transaction
from plue_core.errors import Invalid, NotFound
from plue_core.identity import Identity

from plugins.plue_git_hosting import permissions
from plugins.plue_git_hosting.models import Collaborator, Repository


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
