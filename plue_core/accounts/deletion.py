"""Deleting users and organizations, as Gitea does.

Without ``purge`` a deletion is refused (422) while anything still hangs on the account: for a
user, memberships of organizations; for any account, whatever plugins report through the
``account_deletion_blockers`` hook (git hosting: owned repositories). With ``purge`` (users
only, by an administrator) the user leaves every org, orgs they were the last owner of are
purged too, and listeners of the ``account_deleted`` event delete what the accounts owned.
Everything happens in one transaction: a failure anywhere leaves nothing half-deleted.
"""

from __future__ import annotations

from plue_core.accounts import follows, orgs
from plue_core.accounts.events import AccountDeleted
from plue_core.accounts.models import (
    USER, AccessToken, Account, OrgPublicMember, PublicKey, Team, TeamMember,
)
from plue_core.db import write_transaction
from plue_core.errors import Invalid


def deletion_blockers(ctx, account: Account) -> list[str]:
    """Why ``account`` cannot be deleted without purging (empty when it can)."""
    reasons = []
    if account.type == USER:
        names = [org.name for org in orgs.orgs_of(account.id)]
        if names:
            reasons.append(f"is still a member of organizations: {', '.join(names)}")
    for answer in ctx.plugins.hook.account_deletion_blockers(ctx=ctx, account=account):
        reasons.extend(answer or ())
    return reasons


def _remove(ctx, account: Account, *, purge: bool) -> None:
    ctx.events.publish(AccountDeleted(account_id=account.id, account_name=account.name,
                                      account_type=account.type, purge=purge))
    if account.is_organization:
        team_ids = Team.select(Team.id).where(Team.org == account)
        TeamMember.delete().where(TeamMember.team.in_(team_ids)).execute()
        Team.delete().where(Team.org == account).execute()
    follows.forget_account(account.id)
    OrgPublicMember.delete().where((OrgPublicMember.org == account)
                                   | (OrgPublicMember.user == account)).execute()
    TeamMember.delete().where(TeamMember.user == account).execute()
    AccessToken.delete().where(AccessToken.user == account).execute()
    PublicKey.delete().where(PublicKey.user == account).execute()
    Account.delete().where(Account.id == account.id).execute()


def delete_org(ctx, org: Account) -> None:
    with write_transaction():
        reasons = deletion_blockers(ctx, org)
        if reasons:
            raise Invalid(f"organization {org.name!r} cannot be deleted: it {'; it '.join(reasons)}")
        _remove(ctx, org, purge=False)


def _is_last_admin(user: Account) -> bool:
    if not user.is_admin:
        return False
    return Account.select().where((Account.type == USER) & Account.is_admin).count() <= 1


def delete_user(ctx, user: Account, *, purge: bool = False) -> None:
    """Delete a user; see the module docstring for what ``purge`` changes."""
    with write_transaction():
        if _is_last_admin(user):
            raise Invalid(f"{user.name!r} is the last site administrator and cannot be deleted")
        if not purge:
            reasons = deletion_blockers(ctx, user)
            if reasons:
                raise Invalid(f"user {user.name!r} cannot be deleted without purge: it "
                              f"{'; it '.join(reasons)}")
        else:
            for org in list(orgs.orgs_of(user.id)):
                if orgs.is_owner(org, user.id) and orgs.owner_count(org) <= 1:
                    _remove(ctx, org, purge=True)
        _remove(ctx, user, purge=purge)
