"""Who may see which account: Gitea's rules for users and organizations.

* public: everyone, anonymous included;
* limited: signed-in users who are not restricted;
* private: for an organization its members; for a user the users who share an
  organization with them.

Site administrators and the account itself always see it. A restricted user sees only the
organizations they belong to (and the users who share one with them).
"""

from __future__ import annotations

from plue_core.accounts.models import ORGANIZATION, Account, Team, TeamMember
from plue_core.identity import Identity


def viewer_is_restricted(identity: Identity | None) -> bool:
    if identity is None:
        return False
    return Account.select().where((Account.id == identity.user_id) & Account.restricted).exists()


def _org_ids_of(user_id):
    return Team.select(Team.org).join(TeamMember).where(TeamMember.user == user_id)


def co_member_ids(user_id: int):
    """A subquery: ids of the users who share an organization with ``user_id``."""
    return TeamMember.select(TeamMember.user).join(Team).where(Team.org.in_(_org_ids_of(user_id)))


def shares_an_org(user_a: int, user_b: int) -> bool:
    """Whether the two users are members of a common organization."""
    return (Team.select().join(TeamMember)
            .where((TeamMember.user == user_a) & Team.org.in_(_org_ids_of(user_b))).exists())


def is_org_member(org: Account, user_id: int) -> bool:
    return (Team.select().join(TeamMember)
            .where((Team.org == org) & (TeamMember.user == user_id)).exists())


def can_see(identity: Identity | None, account: Account) -> bool:
    """Whether ``identity`` (``None``: anonymous) may see ``account`` at all; when not, the
    account is answered as 404, never 403."""
    if identity is not None and (identity.is_admin or identity.user_id == account.id):
        return True
    if account.is_organization:
        if account.visibility == "private" or viewer_is_restricted(identity):
            return identity is not None and is_org_member(account, identity.user_id)
        return account.visibility == "public" or identity is not None
    if account.visibility == "public":
        return True
    if identity is None or viewer_is_restricted(identity):
        return False
    if account.visibility == "limited":
        return True
    return shares_an_org(account.id, identity.user_id)


def seen_by(identity: Identity | None):
    """:func:`can_see` as a condition on ``Account`` rows, for lists of users and organizations
    (followers, following); ``None`` when the caller sees every account."""
    if identity is None:
        return Account.visibility == "public"
    if identity.is_admin:
        return None
    me, is_org = identity.user_id, Account.type == ORGANIZATION
    member_org = is_org & Account.id.in_(_org_ids_of(me))
    if viewer_is_restricted(identity):
        return (Account.id == me) | member_org | (~is_org & (Account.visibility == "public"))
    return ((Account.id == me) | Account.visibility.in_(("public", "limited")) | member_org
            | (~is_org & Account.id.in_(co_member_ids(me))))


def listable_visibilities(identity: Identity | None) -> tuple[str, ...]:
    """Visibilities an anonymous, signed-in, restricted or admin caller finds in
    instance-wide lists (private accounts are listed to admins only)."""
    if identity is None:
        return ("public",)
    if identity.is_admin:
        return ("public", "limited", "private")
    if viewer_is_restricted(identity):
        return ("public",)
    return ("public", "limited")
