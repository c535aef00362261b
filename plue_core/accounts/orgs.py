"""Organizations. An org always has an "Owners" team; membership of any team makes a member,
as in Gitea. Teams themselves live in ``teams.py``; deletion in ``deletion.py``."""

from __future__ import annotations

import uuid

from plue_core.accounts import short_names, visibility
from plue_core.accounts.models import (
    ORGANIZATION, VISIBILITIES, Account, OrgPublicMember, Team, TeamMember,
)
from plue_core.accounts.users import (
    ensure_name_free, validate_choice, validate_email, validate_name,
)
from plue_core.constraints import unique_write
from plue_core.db import utcnow, write_transaction
from plue_core.errors import Forbidden, Invalid, NotFound
from plue_core.identity import Identity

OWNERS_TEAM = "Owners"
PERMISSION_RANK = {"none": 0, "read": 1, "write": 2, "admin": 3, "owner": 4}
ORG_KINDS = ("organization", "personal")
# Fields of Gitea's EditOrgOption (and Runner Pilot's short_name/org_kind) an owner may change.
EDITABLE = ("full_name", "email", "description", "website", "location", "visibility",
            "repo_admin_change_team_access", "short_name", "org_kind")


def ensure_can_create_org(settings: dict, user: Account) -> None:
    """Gitea's ``CanCreateOrganization``: admins always; others unless switched off."""
    if user.is_admin:
        return
    if settings["disable_regular_org_creation"] or not user.allow_create_organization:
        raise Forbidden(f"user {user.name!r} is not allowed to create organizations")


def create_org(creator: Account, *, name: str, full_name: str = "", description: str = "",
               website: str = "", location: str = "", visibility: str = "public",
               email: str = "", kind: str = "organization", short_name: str = "",
               repo_admin_change_team_access: bool = False) -> Account:
    """Create an organization whose Owners team holds ``creator``."""
    validate_name(name, "organization name")
    validate_choice("visibility", visibility, VISIBILITIES)
    if email:
        validate_email(email)
    validate_choice("type", kind, ORG_KINDS)
    short_name = short_names.validate(short_name or "")
    with short_names.claiming(short_name), \
            unique_write(f"user or organization {name!r} already exists"):
        ensure_name_free(name)
        if short_name:
            short_names.ensure_free(short_name)
        org = Account.create(name=name, lower_name=name.lower(), type=ORGANIZATION,
                             full_name=full_name or "", description=description or "",
                             website=website or "", location=location or "",
                             visibility=visibility, email=email or "", org_kind=kind,
                             short_name=short_name,
                             lower_short_name=short_names.lowered(short_name),
                             repo_admin_change_team_access=bool(repo_admin_change_team_access))
        owners = Team.create(org=org, name=OWNERS_TEAM, lower_name=OWNERS_TEAM.lower(),
                             permission="owner", includes_all_repositories=True,
                             can_create_org_repo=True, visibility="limited")
        TeamMember.create(team=owners, user=creator)
    return org


def update_org(org: Account, changes: dict) -> Account:
    """Apply the given ``EDITABLE`` fields; absent keys stay as they are."""
    changes = {k: v for k, v in changes.items() if k in EDITABLE and v is not None}
    if "visibility" in changes:
        validate_choice("visibility", changes["visibility"], VISIBILITIES)
    if changes.get("email"):
        validate_email(changes["email"])
    if "org_kind" in changes:
        validate_choice("type", changes["org_kind"], ORG_KINDS)
    short_name = changes.get("short_name")
    if short_name is not None:
        changes["short_name"] = short_names.validate(short_name)
        changes["lower_short_name"] = short_names.lowered(short_name)
    # lower_short_name is the only unique column an org edit can touch.
    with short_names.claiming(short_name or "", org.id), \
            unique_write(f"short_name {short_name!r} is already taken by another organization"):
        if short_name:
            short_names.ensure_free(short_name, org.id)
        for key, value in changes.items():
            setattr(org, key, value)
        org.updated_at = utcnow()
        org.save()
    return org


def find_org(name: str) -> Account | None:
    return Account.get_or_none((Account.lower_name == (name or "").lower())
                               & (Account.type == ORGANIZATION))


def get_org(name: str) -> Account:
    org = find_org(name)
    if org is None:
        raise NotFound(f"organization {name!r} does not exist")
    return org


def get_visible_org(identity: Identity | None, name: str) -> Account:
    """The org, or 404 when it does not exist or ``identity`` may not see it (private orgs
    are invisible to outsiders, never 403)."""
    org = find_org(name)
    if org is None or not visibility.can_see(identity, org):
        raise NotFound(f"organization {name!r} does not exist")
    return org


def find_org_by_uid(uid: str) -> Account | None:
    try:
        parsed = uuid.UUID(str(uid))
    except ValueError:
        return None
    return Account.get_or_none((Account.uid == parsed) & (Account.type == ORGANIZATION))


def find_pilot_org(org_id: str) -> Account | None:
    """Runner Pilot's ``/org/{org_id}``: the org whose uid is ``org_id``, else the org whose
    short name it is (any case). A uid wins: new short names never look like one
    (``short_names.validate``), so only a legacy short name could, and it cannot hide an org."""
    return find_org_by_uid(org_id) or short_names.find_org(org_id)


def get_member_org(identity: Identity, org_id: str) -> Account:
    """The org at ``/org/{org_id}`` if ``identity`` is a member or an admin; 404 otherwise,
    by uid and by short name alike, so outsiders cannot tell it exists."""
    org = find_pilot_org(org_id)
    if org is None or not (identity.is_admin or is_member(org, identity.user_id)):
        raise NotFound(f"organization {org_id} does not exist")
    return org


# --- membership ------------------------------------------------------------------------------


def _membership(org: Account, user_id: int):
    return (Team.select(Team.permission).join(TeamMember)
            .where((Team.org == org) & (TeamMember.user == user_id)))


is_member = visibility.is_org_member


def is_owner(org: Account, user_id: int) -> bool:
    return _membership(org, user_id).where(Team.permission == "owner").exists()


def permission_of(org: Account, user_id: int) -> str:
    """The highest team permission of the user in the org ("none" when not a member)."""
    best = "none"
    for team in _membership(org, user_id):
        if PERMISSION_RANK[team.permission] > PERMISSION_RANK[best]:
            best = team.permission
    return best


def members(org: Account):
    member_ids = TeamMember.select(TeamMember.user).join(Team).where(Team.org == org)
    return Account.select().where(Account.id.in_(member_ids)).order_by(Account.lower_name)


def public_members(org: Account):
    public_ids = OrgPublicMember.select(OrgPublicMember.user).where(OrgPublicMember.org == org)
    return members(org).where(Account.id.in_(public_ids))


def members_seen_by(identity: Identity | None, org: Account):
    """The members ``identity`` may list: every member for members and site administrators,
    the public members for everyone else (Gitea)."""
    if identity is not None and (identity.is_admin or is_member(org, identity.user_id)):
        return members(org)
    return public_members(org)


def is_public_member(org: Account, user_id: int) -> bool:
    return OrgPublicMember.select().where((OrgPublicMember.org == org)
                                          & (OrgPublicMember.user == user_id)).exists()


def set_membership_public(org: Account, user: Account, public: bool) -> None:
    """Show or hide ``user``'s membership to outsiders (only members have one to show)."""
    with write_transaction():
        if not is_member(org, user.id):
            raise NotFound(f"user {user.name!r} is not a member of {org.name!r}")
        query = OrgPublicMember.delete().where((OrgPublicMember.org == org)
                                               & (OrgPublicMember.user == user))
        query.execute()
        if public:
            OrgPublicMember.insert(org=org, user=user).on_conflict_ignore().execute()


def owners_team(org: Account) -> Team:
    return Team.get((Team.org == org) & (Team.permission == "owner"))


def lock_owners(org: Account) -> Team:
    """Take the owners team's row lock for the rest of the transaction (a no-op UPDATE), so
    two concurrent removals cannot both see "another owner remains" and leave none."""
    team = owners_team(org)
    Team.update(permission="owner").where(Team.id == team.id).execute()
    return team


def owner_count(org: Account) -> int:
    return TeamMember.select().where(TeamMember.team == owners_team(org)).count()


def forget_if_not_member(org: Account, user_id: int) -> None:
    """Drop a public-membership mark once the user has left every team of the org."""
    if not is_member(org, user_id):
        OrgPublicMember.delete().where((OrgPublicMember.org == org)
                                       & (OrgPublicMember.user == user_id)).execute()


def remove_member(org: Account, user: Account) -> None:
    """Remove ``user`` from every team of ``org``; refused for its last owner."""
    with write_transaction():
        team = lock_owners(org)
        in_owners = TeamMember.select().where((TeamMember.team == team)
                                              & (TeamMember.user == user)).exists()
        if in_owners and owner_count(org) <= 1:
            raise Invalid(f"{user.name!r} is the last owner of {org.name!r}; add another owner "
                          "to the Owners team first")
        team_ids = Team.select(Team.id).where(Team.org == org)
        TeamMember.delete().where((TeamMember.user == user)
                                  & TeamMember.team.in_(team_ids)).execute()
        forget_if_not_member(org, user.id)


# --- lists -----------------------------------------------------------------------------------


def orgs_of(user_id: int):
    """Every org ``user_id`` belongs to, whatever its visibility (for the user themself)."""
    org_ids = Team.select(Team.org).join(TeamMember).where(TeamMember.user == user_id)
    return Account.select().where(Account.id.in_(org_ids)).order_by(Account.lower_name)


def orgs_of_seen_by(identity: Identity | None, user: Account):
    """``user``'s orgs as ``identity`` may list them: all for the user and admins; for
    others only visible orgs where the membership was made public."""
    if identity is not None and (identity.is_admin or identity.user_id == user.id):
        return orgs_of(user.id)
    public_ids = OrgPublicMember.select(OrgPublicMember.org).where(OrgPublicMember.user == user)
    return (orgs_of(user.id).where(Account.id.in_(public_ids))
            .where(Account.visibility.in_(visibility.listable_visibilities(identity))))


def all_orgs(visibilities: tuple[str, ...]):
    return (Account.select().where((Account.type == ORGANIZATION)
                                   & Account.visibility.in_(visibilities))
            .order_by(Account.id))
