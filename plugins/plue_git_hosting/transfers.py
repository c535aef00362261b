"""Repository transfers, as Gitea's ``services/repository/transfer.go``: a repository offered
to another owner moves at once when the doer may create repositories there (a site
administrator, the new owner themself, an org where the doer may create repositories);
otherwise it waits (``RepoTransfer``, the row's ``transfer_pending``) until the recipient
accepts or rejects it.

A move is one step: the row's owner, the old full name's redirect (as a rename's) and the
directories on disk (the repository and its wiki) change together — the directories are moved
inside the database transaction and moved back if it fails, so git and the database never
disagree."""

from __future__ import annotations

import json

from plue_core.db import utcnow, write_transaction
from plue_core.errors import Conflict, Forbidden, Invalid, NotFound
from plue_core.identity import Identity

from plue_git_hosting import collaborators, permissions, redirects, repositories, transaction_rows
from plue_git_hosting.models import (
    Collaborator, RepositoryRedirect, Repository, RepoTransfer, TeamRepository,
)


def pending(repository: Repository) -> RepoTransfer | None:
    if not repository.transfer_pending:
        return None
    return RepoTransfer.get_or_none(RepoTransfer.repository == repository.id)


def start(hosting, identity, repository: Repository, new_owner, team_ids: list[int] | None) -> bool:
    """Offer ``repository`` to ``new_owner``; True when it moved at once, False when the
    transfer waits for the recipient. Teams are checked by the caller (``teams_for``)."""
    if pending(repository) is not None:  # the row: a deleted recipient took theirs with them
        raise Conflict(f"repository {repository.full_name} has a pending transfer already")
    if repositories.may_create_in(hosting.accounts, identity, new_owner):
        move(hosting, repository, new_owner, team_ids or [])
        return True
    with write_transaction():
        _ensure_free(new_owner, repository.name)
        if not new_owner.is_organization and \
                permissions.resolve(hosting.accounts, Identity(user_id=new_owner.id, username=new_owner.name, is_admin=new_owner.is_admin), repository) == "none":
            # As Gitea: the recipient may read what they are offered.
            collaborators.add_collaborator(repository, new_owner, "read")
        RepoTransfer.create(repository=repository.id, doer=identity.user_id,
                            recipient=new_owner.id, team_ids=json.dumps(team_ids or []))
        Repository.update(transfer_pending=True).where(Repository.id == repository.id).execute()
        transaction_rows.forget(repository.id)
    return False


def teams_for(accounts, new_owner, team_ids: list[int] | None) -> list[int] | None:
    """Gitea's checks of ``TransferRepoOption.team_ids``: only for an organization (422), each
    a team (422) of that organization (403)."""
    if team_ids is None:
        return None
    if not new_owner.is_organization:
        raise Invalid("Teams can only be added to organization-owned repositories")
    for team_id in team_ids:
        try:
            team = accounts.get_team(team_id)
        except NotFound:
            raise Invalid(f"team {team_id} not found") from None
        if team.org_id != new_owner.id:
            raise Forbidden(f"team {team_id} belongs not to org {new_owner.id}")
    return team_ids


def may_answer(accounts, identity, transfer: RepoTransfer) -> bool:
    """Gitea's ``CanUserAcceptOrRejectTransfer``: the recipient, a site administrator, or for
    an organization whoever may create repositories in it."""
    recipient = transfer.recipient
    if identity.is_admin or identity.user_id == recipient.id:
        return True
    return recipient.is_organization and repositories.may_create_in(accounts, identity, recipient)


def accept(hosting, repository: Repository, transfer: RepoTransfer) -> None:
    move(hosting, repository, transfer.recipient, json.loads(transfer.team_ids))


def reject(repository: Repository) -> None:
    with write_transaction():
        RepoTransfer.delete().where(RepoTransfer.repository == repository.id).execute()
        Repository.update(transfer_pending=False).where(Repository.id == repository.id).execute()
        transaction_rows.forget(repository.id)


def move(hosting, repository: Repository, new_owner, team_ids: list[int]) -> None:
    """The transfer itself (Gitea's ``TransferOwnership``): the row, the old name's redirect,
    the old org's team listings, the given teams, and the directories, in one step."""
    old_owner, name = repository.owner, repository.name
    old_path = hosting.path_of(repository)
    new_path = hosting.storage.path(new_owner.name, name)
    moved = False
    with hosting.storage.write_lock(repository.id), \
            hosting.storage.wiki_write_lock(repository.id):
        try:
            with write_transaction():
                _ensure_free(new_owner, name)
                # The directories first: what follows fails back to them (rolled back, moved back).
                hosting.storage.move_with_wiki(old_path, new_path)
                moved = True
                Repository.update(owner=new_owner.id, transfer_pending=False, updated_at=utcnow()) \
                    .where(Repository.id == repository.id).execute()
                RepoTransfer.delete().where(RepoTransfer.repository == repository.id).execute()
                redirects.forget(new_owner.id, name)
                RepositoryRedirect.create(owner=old_owner.id, lower_name=name.lower(),
                                          repository=repository.id)
                # The old organization's teams no longer reach it; the new owner needs no grant.
                TeamRepository.delete().where(TeamRepository.repository == repository.id).execute()
                Collaborator.delete().where((Collaborator.repository == repository.id)
                                            & (Collaborator.user == new_owner.id)).execute()
                for team_id in team_ids:
                    TeamRepository.insert(team=team_id, repository=repository.id) \
                        .on_conflict_ignore().execute()
                transaction_rows.forget(repository.id)
        except BaseException:
            if moved:
                hosting.storage.move_with_wiki(new_path, old_path)
            raise


def _ensure_free(owner, name: str) -> None:
    """Gitea's ``ErrRepoAlreadyExist``, a 422 here."""
    if Repository.select().where((Repository.owner == owner.id)
                                 & (Repository.lower_name == name.lower())).exists():
        raise Invalid(f"repository already exists [uname: {owner.name}, name: {name}]")
